// Runtime hook: run the TypeScript sources directly (swc keeps decorator metadata for Nest DI)
// and resolve `@opsloop/*` lib imports. Used as `node -r ./tools/register.js <entry.ts>`.
const path = require('node:path');
require('./register-paths');

process.env.SWC_NODE_PROJECT = process.env.SWC_NODE_PROJECT || path.join(__dirname, '..', 'tsconfig.json');
require('@swc-node/register');
