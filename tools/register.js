// Runtime hook: run the TypeScript sources directly (swc keeps decorator metadata for Nest DI)
// and resolve `@opsloop/*` lib imports. Used as `node -r ./tools/register.js <entry.ts>`.
const { root, libAliases } = require('./lib-aliases');
const aliases = libAliases();
require('tsconfig-paths').register({
  baseUrl: root,
  paths: Object.fromEntries(Object.entries(aliases).map(([name, dir]) => [name, [dir]])),
});
process.env.SWC_NODE_PROJECT = process.env.SWC_NODE_PROJECT || require('node:path').join(root, 'tsconfig.json');
require('@swc-node/register');
