import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cleanEnv, runEntry } from '../support/spawn';

const simulate = (...args: string[]) => runEntry('apps/cli/src/main.ts', cleanEnv({}), ['simulate', ...args]).done;

const WARMUP = 60;
const DAYS = 120;
/** Two items, a weekly pattern and a steady one, with packs and an MOQ. */
function scenario() {
  const weekly = Array.from({ length: DAYS }, (_, t) => [6, 7, 8, 8, 10, 16, 9][t % 7]!);
  const steady = Array.from({ length: DAYS }, (_, t) => 3 + ((t * 7) % 5));
  return {
    targetServiceLevel: 0.95,
    reviewPeriodDays: 7,
    warmupDays: WARMUP,
    items: [
      { sku: 'WEEKLY', location: 'store-1', demand: weekly, leadTimeDays: 3, unitCost: 2.5, initialOnHand: 80, packSize: 6 },
      { sku: 'STEADY', location: 'store-2', demand: steady, leadTimeDays: 5, unitCost: 40, initialOnHand: 30, moq: 10 },
    ],
  };
}

interface Row {
  policy: string; sku: string; location: string; day: number; demand: number; sales: number; lost: number;
  onHandStart: number; receipts: number; orderQty: number;
}

describe('opsloop simulate replenishment', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'opsloop-sim-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, content: unknown) => {
    const file = path.join(dir, name);
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
  };

  it('prints both policies\' figures and writes a trace row per policy, item and simulated day', async () => {
    const file = write('ok.json', scenario());
    const trace = path.join(dir, 'trace.jsonl');
    const { code, output } = await simulate('replenishment', '--scenario', file, '--trace', trace);
    expect(code).toBe(0);
    const { policies } = JSON.parse(output) as { policies: Array<Record<string, number | string>> };
    expect(policies.map((p) => p.name)).toEqual(['opsloop', 'static-minmax']);
    for (const p of policies) {
      expect(Object.keys(p)).toEqual(['name', 'fillRate', 'stockoutDays', 'lostUnits', 'avgOnHandUnits', 'avgOnHandValue', 'orders', 'orderedUnits']);
    }

    const rows = readFileSync(trace, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Row);
    expect(rows).toHaveLength(2 * 2 * (DAYS - WARMUP));
    expect(Object.keys(rows[0]!)).toEqual(['policy', 'sku', 'location', 'day', 'demand', 'sales', 'lost', 'onHandStart', 'receipts', 'orderQty']);
    for (const policy of policies) {
      const mine = rows.filter((r) => r.policy === policy.name);
      const demand = mine.reduce((s, r) => s + r.demand, 0);
      const sales = mine.reduce((s, r) => s + r.sales, 0);
      expect(sales / demand).toBeCloseTo(policy.fillRate as number, 5);
      expect(mine.filter((r) => r.orderQty > 0)).toHaveLength(policy.orders as number);
      for (const sku of ['WEEKLY', 'STEADY']) {
        const days = mine.filter((r) => r.sku === sku);
        const item = scenario().items.find((i) => i.sku === sku)!;
        expect(days[0]).toMatchObject({ day: WARMUP, onHandStart: item.initialOnHand });
        days.slice(1).forEach((r, k) => expect(r.onHandStart).toBe(days[k]!.onHandStart + days[k]!.receipts - days[k]!.sales));
        // Each order arrives exactly leadTimeDays later (the run ends before the last ones arrive).
        for (const o of days.filter((r) => r.orderQty > 0 && r.day + item.leadTimeDays < DAYS)) {
          expect(days.find((r) => r.day === o.day + item.leadTimeDays)!.receipts).toBeGreaterThanOrEqual(o.orderQty);
        }
        expect(days.filter((r) => r.receipts > 0).every((r) => days.some((o) => o.orderQty > 0 && o.day + item.leadTimeDays === r.day))).toBe(true);
      }
    }
  });

  it('runs without --trace and prints the same figures', async () => {
    const file = write('again.json', scenario());
    const a = await simulate('replenishment', '--scenario', file);
    const b = await simulate('replenishment', '--scenario', file, '--trace', path.join(dir, 't2.jsonl'));
    expect(a.code).toBe(0);
    expect(JSON.parse(a.output)).toEqual(JSON.parse(b.output));
  });

  it('exits 2 naming the field when the scenario is invalid', async () => {
    const bad = scenario();
    (bad.items[1] as Record<string, unknown>).leadTimeDays = -1;
    const { code, output } = await simulate('replenishment', '--scenario', write('bad.json', bad));
    expect(code).toBe(2);
    expect(output).toContain('invalid scenario: items[1].leadTimeDays: must be a whole number of days, 0 or more, got -1');
  });

  it('exits 2 for a file that is not JSON, a missing file, or missing --scenario', async () => {
    const notJson = await simulate('replenishment', '--scenario', write('broken.json', '{"items": ['));
    expect(notJson.code).toBe(2);
    expect(notJson.output).toMatch(/invalid scenario: scenario: .*broken\.json is not valid JSON/);
    const missing = await simulate('replenishment', '--scenario', path.join(dir, 'nope.json'));
    expect(missing.code).toBe(2);
    expect(missing.output).toMatch(/cannot read --scenario .*nope\.json: ENOENT/);
    const noFlag = await simulate('replenishment');
    expect(noFlag.code).toBe(2);
    expect(noFlag.output).toContain('--scenario FILE is required');
    expect(noFlag.output).toContain('usage: opsloop simulate replenishment --scenario FILE [--trace FILE]');
  });

  it('says routing simulation is not available yet, with exit 2', async () => {
    const { code, output } = await simulate('routing', '--scenario', 'x.json');
    expect(code).toBe(2);
    expect(output).toContain('simulate routing is not available yet');
  });

  it('is listed in the command help', async () => {
    const { code, output } = await runEntry('apps/cli/src/main.ts', cleanEnv({}), ['help']).done;
    expect(code).toBe(0);
    expect(output).toMatch(/simulate\s+simulate replenishment --scenario FILE \[--trace FILE\|-\]/);
  });
});
