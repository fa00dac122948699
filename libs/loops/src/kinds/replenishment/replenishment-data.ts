/**
 * The collect stage of the replenishment kind: pull the four sources, then read per item and
 * location the daily demand history, the newest on-hand, the open order lines and the item master.
 * Items are the demand series in scope; the result is plain JSON (the run's collect artifact).
 */
import { Injectable } from '@nestjs/common';
import { addDays, dayOf } from '@opsloop/domain';
import { ObservationAggregates, StoredRecord } from '@opsloop/persistence';
import { PulledSource, SourcePull } from '../../source-pull';
import { masterIndex, MasterRow, masterRowOf } from './item-master';
import type { ReplenishmentLoopParams, SourceRefParams } from './replenishment.params';

/** Open order lines read per run; more fails loudly rather than undercounting what is on order. */
export const MAX_OPEN_ORDER_LINES = 200_000;

export type SourceRole = 'demand' | 'onHand' | 'openOrders' | 'itemMaster';

export interface CollectedItem {
  sku: string;
  location: string;
  /** Series keys, so the outcome step reads the same series later. */
  demandKey: string;
  onHandKey: string | null;
  /** First day of `demand` (`YYYY-MM-DD`); the last is the day before the data date. */
  historyStart: string;
  demand: number[];
  onHand: number | null;
  onHandAt: string | null;
  onOrder: number;
  master: MasterRow | null;
}

export interface ReplenishmentCollected {
  /** The day the decision is for: the day after the newest demand day (UTC). */
  dataDate: string | null;
  sources: Partial<Record<SourceRole, PulledSource>>;
  items: CollectedItem[];
  counts: { demandSeries: number; outOfScope: number; negativeDemandDays: number; negativeOnHand: number; openOrderLines: number };
}

@Injectable()
export class ReplenishmentData {
  constructor(
    private readonly pulls: SourcePull,
    private readonly aggregates: ObservationAggregates,
  ) {}

  async collect(params: ReplenishmentLoopParams, runId: string): Promise<ReplenishmentCollected> {
    const refs = Object.entries(params.sources).filter(([, ref]) => ref) as [SourceRole, SourceRefParams][];
    const sources: ReplenishmentCollected['sources'] = {};
    for (const [role, ref] of refs) sources[role] = await this.pulls.pull(ref.sourceId, ref.pull !== false, runId);
    const counts = { demandSeries: 0, outOfScope: 0, negativeDemandDays: 0, negativeOnHand: 0, openOrderLines: 0 };
    const empty = { dataDate: null, sources, items: [], counts };
    if (Object.values(sources).some((s) => s.missing)) return empty;

    const series = await this.aggregates.latestRecords(params.sources.demand.sourceId);
    counts.demandSeries = series.length;
    const inScope = series.filter(scopeFilter(params));
    counts.outOfScope = series.length - inScope.length;
    const newest = inScope.reduce((max, s) => (s.ts > max ? s.ts : max), '');
    if (!newest) return empty;
    const through = dayOf(newest);
    // Every series in scope: no key list, so Postgres is not handed 10,000 keys to match.
    const keys = inScope.length === series.length ? undefined : inScope.map((s) => s.seriesKey);
    const history = await this.aggregates.dailyTotals(params.sources.demand.sourceId, { days: params.historyDays, through, seriesKeys: keys });

    const onHand = byItem(await this.aggregates.latestRecords(params.sources.onHand.sourceId));
    const masterFor = masterIndex((await this.aggregates.latestRecords(params.sources.itemMaster.sourceId)).map(masterRowOf));
    const onOrder = await this.openOrders(params, counts);
    const dimsOf = new Map(inScope.map((s) => [s.seriesKey, s.dims]));
    const items = history.series.map((s): CollectedItem => {
      const dims = dimsOf.get(s.seriesKey)!;
      const sku = String(dims['sku']);
      const location = String(dims['location']);
      const stock = onHand.get(itemKey(sku, location));
      counts.negativeDemandDays += s.values.filter((v) => v < 0).length;
      if (stock?.value !== undefined && stock.value !== null && stock.value < 0) counts.negativeOnHand += 1;
      return {
        sku, location, demandKey: s.seriesKey, onHandKey: stock?.seriesKey ?? null, historyStart: s.start,
        // A negative day can only come from a source without `min: 0`; it is counted, never sold.
        demand: s.values.map((v) => Math.max(0, v)),
        onHand: stock?.value === undefined || stock.value === null ? null : Math.max(0, stock.value),
        onHandAt: stock?.ts ?? null,
        onOrder: onOrder.get(itemKey(sku, location)) ?? 0,
        master: masterFor(sku, location),
      };
    });
    return { dataDate: addDays(through, 1), sources, items, counts };
  }

  private async openOrders(params: ReplenishmentLoopParams, counts: ReplenishmentCollected['counts']): Promise<Map<string, number>> {
    const totals = new Map<string, number>();
    if (!params.sources.openOrders) return totals;
    const lines = await this.aggregates.matching(params.sources.openOrders.sourceId, { status: 'open' }, MAX_OPEN_ORDER_LINES + 1);
    if (lines.length > MAX_OPEN_ORDER_LINES) throw new Error(`more than ${MAX_OPEN_ORDER_LINES} open order lines: close received lines at the source`);
    counts.openOrderLines = lines.length;
    for (const line of lines) {
      const key = itemKey(String(line.dims['sku']), String(line.dims['location']));
      totals.set(key, (totals.get(key) ?? 0) + Math.max(0, line.value ?? 0));
    }
    return totals;
  }
}

export function itemKey(sku: string, location: string): string {
  return `${sku}@${location}`;
}

function byItem(rows: StoredRecord[]): Map<string, StoredRecord> {
  return new Map(rows.map((r) => [itemKey(String(r.dims['sku']), String(r.dims['location'])), r]));
}

function scopeFilter(params: ReplenishmentLoopParams): (s: StoredRecord) => boolean {
  const items = params.scope?.items ? new Set(params.scope.items) : null;
  const locations = params.scope?.locations ? new Set(params.scope.locations) : null;
  return (s) => (!items || items.has(String(s.dims['sku']))) && (!locations || locations.has(String(s.dims['location'])));
}
