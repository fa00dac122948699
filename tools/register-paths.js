// Resolves `@opsloop/*` lib imports in plain Node require (runtime, jest global setup).
const { root, libAliases } = require('./lib-aliases');

require('tsconfig-paths').register({
  baseUrl: root,
  paths: Object.fromEntries(Object.entries(libAliases()).map(([name, dir]) => [name, [dir]])),
});
