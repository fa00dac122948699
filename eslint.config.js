// Lint: typed rules everywhere (no floating promises), and a sandbox fence around workflows/:
// workflow code is replayed deterministically by Temporal, so it may not reach Node, Nest,
// TypeORM or the client/activity/worker SDK packages. Type-only imports stay allowed.
const { builtinModules } = require('node:module');
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

module.exports = tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.opsloop/**', 'coverage/**', '**/.scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: __dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: nodeBuiltins.map((name) => ({ name, message: 'Workflow code runs in the Temporal sandbox: no Node built-ins.', allowTypeImports: true })),
        patterns: [
          { group: ['@nestjs/*'], message: 'Workflow code must not depend on Nest.', allowTypeImports: true },
          { group: ['typeorm', 'pg', '@opsloop/persistence', '@opsloop/devstack', '@opsloop/loops', '@opsloop/connectors'], message: 'Workflow code does no I/O: call an activity.', allowTypeImports: true },
          { group: ['@temporalio/client', '@temporalio/activity', '@temporalio/worker'], message: 'Only @temporalio/workflow belongs in workflow code.', allowTypeImports: true },
        ],
      }],
    },
  },
  {
    // Pure libs: the maths and the decision rules must run anywhere (workflows, simulators, tests)
    // and be testable without servers, so no Node built-ins and nothing that does I/O.
    files: ['libs/domain/**/*.ts', 'libs/analytics/**/*.ts', 'libs/policies/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: nodeBuiltins.map((name) => ({ name, message: 'Pure libs do no I/O: no Node built-ins.', allowTypeImports: true })),
        patterns: [
          { group: ['@nestjs/*', 'typeorm', 'pg', '@temporalio/*', '@opsloop/persistence', '@opsloop/devstack', '@opsloop/connectors', '@opsloop/loops', '@opsloop/temporal', '@opsloop/config'],
            message: 'Pure libs depend on nothing with I/O.', allowTypeImports: true },
        ],
      }],
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly', console: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
