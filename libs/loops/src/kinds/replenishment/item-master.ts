/**
 * Item master rows as the policy needs them. A row for `location: '*'` covers every location of
 * the sku; a row for the exact location overrides it. Numbers that are absent or not numbers stay
 * null, so the policy says "missing lead time" instead of guessing.
 */
import type { StoredRecord } from '@opsloop/persistence';

export const ALL_LOCATIONS = '*';

export interface MasterRow {
  sku: string;
  location: string;
  leadTimeDays: number | null;
  leadTimeSdDays: number | null;
  unitCost: number | null;
  moq: number | null;
  packSize: number | null;
  supplier: string | null;
}

export function masterRowOf(r: StoredRecord): MasterRow {
  const rec = r.record;
  return {
    sku: String(rec['sku'] ?? r.dims['sku']),
    location: String(rec['location'] ?? r.dims['location'] ?? ALL_LOCATIONS),
    leadTimeDays: numberOrNull(rec['leadTimeDays']),
    leadTimeSdDays: numberOrNull(rec['leadTimeSdDays']),
    unitCost: numberOrNull(rec['unitCost']),
    moq: numberOrNull(rec['moq']),
    packSize: numberOrNull(rec['packSize']),
    supplier: typeof rec['supplier'] === 'string' && rec['supplier'] !== '' ? rec['supplier'] : null,
  };
}

/** Index once, then look up per item: exact location first, then the sku's all-locations row. */
export function masterIndex(rows: MasterRow[]): (sku: string, location: string) => MasterRow | null {
  const byKey = new Map(rows.map((r) => [`${r.sku}\u0000${r.location}`, r]));
  return (sku, location) => byKey.get(`${sku}\u0000${location}`) ?? byKey.get(`${sku}\u0000${ALL_LOCATIONS}`) ?? null;
}

function numberOrNull(x: unknown): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}
