/**
 * Reads what happened to one item after its decision: daily demand and daily closing stock over
 * the decision's lead time + review period, from the same series the decision was made on.
 */
import { Injectable } from '@nestjs/common';
import { addDays, DAY_MS, dayStartMs } from '@opsloop/domain';
import { ObservationAggregates, ObservationReader } from '@opsloop/persistence';
import type { OrderOutcomeInput } from '@opsloop/policies';


export interface OutcomeSubject {
  demandSourceId: string;
  onHandSourceId: string;
  demandKey: string;
  onHandKey: string | null;
  /** First day of the window (`YYYY-MM-DD`). */
  dataDate: string;
  horizonDays: number;
  openingStock: number;
  forecastUnits: number;
}

@Injectable()
export class OutcomeReader {
  constructor(
    private readonly aggregates: ObservationAggregates,
    private readonly observations: ObservationReader,
  ) {}

  async read(s: OutcomeSubject): Promise<OrderOutcomeInput> {
    const days = Math.max(1, Math.ceil(s.horizonDays - 1e-9));
    const startMs = dayStartMs(s.dataDate);
    const lastDay = addDays(s.dataDate, days - 1);
    const totals = await this.aggregates.dailyTotals(s.demandSourceId, { days, through: lastDay, seriesKeys: [s.demandKey] });
    const demandByDay = new Array<number>(days).fill(0);
    const series = totals.series[0];
    if (series) {
      const offset = Math.round((dayStartMs(series.start) - startMs) / DAY_MS);
      series.values.forEach((v, i) => (demandByDay[offset + i] = v));
    }
    const closingByDay = new Array<number | null>(days).fill(null);
    if (s.onHandKey) {
      const [stock] = await this.observations.series(s.onHandSourceId, {
        seriesKeys: [s.onHandKey], from: new Date(startMs).toISOString(), to: new Date(startMs + days * DAY_MS).toISOString(), limit: days * 24,
      });
      // Points are oldest first, so the last point of a day is its closing stock.
      for (const p of stock?.points ?? []) {
        const day = Math.floor((Date.parse(p.ts) - startMs) / DAY_MS);
        if (day >= 0 && day < days && p.value !== null) closingByDay[day] = p.value;
      }
    }
    return { demandByDay, closingByDay, openingStock: s.openingStock, forecastUnits: s.forecastUnits, horizonDays: s.horizonDays };
  }
}
