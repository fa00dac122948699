import path from 'node:path';
import { ESLint } from 'eslint';

const ROOT = path.resolve(__dirname, '../..');

/** Lints source as if it lived at `file`, with the repo's config. */
async function messagesFor(file: string, code: string): Promise<string[]> {
  // Pass the config in: ESLint's own loader uses a dynamic import that jest's sandbox lacks.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const eslint = new ESLint({ cwd: ROOT, overrideConfigFile: true, overrideConfig: require('../../eslint.config.js') });
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('lint fence around workflow code', () => {
  it.each([
    ["import fs from 'node:fs';", /no Node built-ins/],
    ["import { Injectable } from '@nestjs/common';", /must not depend on Nest/],
    ["import { DataSource } from 'typeorm';", /does no I\/O/],
    ["import { Client } from '@temporalio/client';", /Only @temporalio\/workflow/],
  ])('rejects `%s` in workflows/', async (line, expected) => {
    const messages = await messagesFor('workflows/round-trip/round-trip.workflow.ts', `${line}\nexport const x = 1;\n`);
    expect(messages.join('\n')).toMatch(expected);
  }, 30_000);

  it('allows type-only imports of the same modules', async () => {
    const messages = await messagesFor('workflows/round-trip/round-trip.workflow.ts',
      "import type { Client } from '@temporalio/client';\nexport type C = Client;\n");
    expect(messages.filter((m) => m.startsWith('@typescript-eslint/no-restricted-imports'))).toEqual([]);
  }, 30_000);

  it('allows the same imports outside workflows/', async () => {
    const messages = await messagesFor('apps/worker/src/main.ts', "import fs from 'node:fs';\nexport const x = fs;\n");
    expect(messages.filter((m) => m.startsWith('@typescript-eslint/no-restricted-imports'))).toEqual([]);
  }, 30_000);
});

describe('lint fence around the pure libs', () => {
  it.each([
    ['libs/analytics/src/forecast/types.ts', "import fs from 'node:fs';", /no Node built-ins/],
    ['libs/policies/src/index.ts', "import { DataSource } from 'typeorm';", /depend on nothing with I\/O/],
    ['libs/domain/src/index.ts', "import { OutboundHttp } from '@opsloop/connectors';", /depend on nothing with I\/O/],
  ])('rejects an I/O import in %s', async (file, line, expected) => {
    const messages = await messagesFor(file, `${line}\nexport const x = 1;\n`);
    expect(messages.join('\n')).toMatch(expected);
  }, 30_000);
});
