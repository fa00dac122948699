import fs from 'node:fs';
import path from 'node:path';
import { ENV_CATALOG } from '@opsloop/config';

const readme = fs.readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
const ciRun = fs.readFileSync(path.resolve(__dirname, '../../.ci/run'), 'utf8');

describe('README', () => {
  it('gives the two quick-start command lines of the contract', () => {
    expect(readme).toContain('\nnpm install && npm start\n');
    expect(readme).toContain('\nnpm install && npm test\n');
  });

  it('is what CI runs', () => {
    expect(ciRun).toMatch(/npm install && npm test/);
  });

  it.each(ENV_CATALOG.map((v) => [v.name, v] as const))('documents %s in the configuration table', (name, v) => {
    const row = readme.split('\n').find((l) => l.startsWith(`| \`${name}\` |`));
    expect(row).toBeDefined();
    for (const consumer of v.usedBy) expect(row).toContain(consumer);
    if (v.default) expect(row).toContain(v.default);
  });
});
