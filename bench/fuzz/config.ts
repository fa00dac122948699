/**
 * The schemathesis config of one run: the fixed settings in schemathesis.toml, plus the seeded
 * ids as dictionaries bound to the path parameters of the routes that read or change them.
 * Bound with a probability below 1, so every route still gets random and invalid ids too.
 * DELETE routes and API keys are left unbound: deleting the seeded resources early would leave
 * the rest of the run at 404s.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Seeded } from './seed';

const BOUND_SHARE = 0.8;

const BINDINGS: { operations: string[]; params: Record<string, keyof Seeded> }[] = [
  {
    operations: [
      'GET /api/v1/sources/{id}', 'PATCH /api/v1/sources/{id}', 'GET /api/v1/sources/{id}/health', 'GET /api/v1/sources/{id}/batches',
      'GET /api/v1/sources/{id}/quarantine', 'POST /api/v1/sources/{id}/collect', 'POST /api/v1/sources/{id}/observations',
    ],
    params: { id: 'sources' },
  },
  { operations: ['GET /api/v1/sources/{id}/batches/{batchId}'], params: { id: 'sources', batchId: 'batches' } },
  {
    operations: ['GET /api/v1/metrics/{key}', 'GET /api/v1/metrics/{key}/values', 'GET /api/v1/metrics/{key}/versions/{version}', 'POST /api/v1/metrics/{key}/versions'],
    params: { key: 'metrics' },
  },
  {
    operations: [
      'GET /api/v1/loops/{id}', 'PATCH /api/v1/loops/{id}', 'POST /api/v1/loops/{id}/disable', 'POST /api/v1/loops/{id}/enable',
      'POST /api/v1/loops/{id}/runs', 'POST /api/v1/loops/{id}/events', 'GET /api/v1/loops/{id}/alert-precision',
    ],
    params: { id: 'loops' },
  },
  { operations: ['GET /api/v1/runs/{id}', 'GET /api/v1/runs/{id}/progress', 'POST /api/v1/runs/{id}/approvals'], params: { id: 'runs' } },
  {
    operations: ['GET /api/v1/decisions/{id}', 'POST /api/v1/decisions/{id}/approval', 'GET /api/v1/decisions/{id}/labels', 'POST /api/v1/decisions/{id}/labels'],
    params: { id: 'decisions' },
  },
  { operations: ['GET /api/v1/round-trips/{id}'], params: { id: 'roundTrips' } },
];

const str = (value: string) => JSON.stringify(value); // a JSON string of ASCII is a TOML basic string

/** Writes the config for one run into `dir` and returns its path. */
export function writeRunConfig(dir: string, seeded: Seeded): string {
  const lines = [fs.readFileSync(path.join(__dirname, 'schemathesis.toml'), 'utf8'), '# Seeded ids (bench/fuzz/seed.ts).'];
  const seededNames = Object.entries(seeded).filter(([, values]) => (values as string[]).length > 0).map(([name]) => name);
  for (const name of seededNames) lines.push(`[dictionaries.${name}]`, `values = [${(seeded[name as keyof Seeded]).map(str).join(', ')}]`);
  // A binding whose ids could not be seeded is left out: those routes get random ids only.
  for (const b of BINDINGS.filter((binding) => Object.values(binding.params).every((dict) => seededNames.includes(dict)))) {
    const params = Object.entries(b.params).map(([param, dict]) => `${str(`path.${param}`)} = { dictionary = ${str(dict)}, probability = ${BOUND_SHARE} }`);
    lines.push('[[operations]]', `include-name = [${b.operations.map(str).join(', ')}]`, `parameters = { ${params.join(', ')} }`);
  }
  const file = path.join(dir, 'schemathesis.toml');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}
