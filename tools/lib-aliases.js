// One source of truth for the `@opsloop/<lib>` import aliases, read from tsconfig.json `paths`.
// Used by the runtime register hook, jest's moduleNameMapper and the Temporal workflow bundler,
// so all three resolve a lib import to the same folder.
const path = require('node:path');
const fs = require('node:fs');

const root = path.resolve(__dirname, '..');

function readPaths() {
  const tsconfig = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.json'), 'utf8'));
  return tsconfig.compilerOptions.paths;
}

/** `{ '@opsloop/domain': '/abs/libs/domain/src', ... }` */
function libAliases() {
  const out = {};
  // Only our own libs: other `paths` entries exist for type lookup alone.
  for (const [name, targets] of Object.entries(readPaths())) {
    if (name.startsWith('@opsloop/')) out[name] = path.join(root, targets[0]);
  }
  return out;
}

/** jest moduleNameMapper entries: `^@opsloop/domain$` -> `<abs>/libs/domain/src` */
function jestModuleNameMapper() {
  const out = {};
  for (const [name, dir] of Object.entries(libAliases())) out[`^${name.replace('/', '\\/')}$`] = dir;
  return out;
}

module.exports = { root, readPaths, libAliases, jestModuleNameMapper };
