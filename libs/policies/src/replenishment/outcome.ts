/**
 * How an order did, measured over the lead time + review period after its decision: the days the
 * shelf was empty, the share of demand served, the stock left, and how far the forecast was off.
 * Stock is seen only as daily closing snapshots, so a day that closes above zero served all of its
 * demand, and a day that closes empty served at most what the shelf held the evening before
 * (receipts that day are not seen: the estimate errs towards lower fill, never higher).
 */
export interface OrderOutcomeInput {
  /** Units demanded on each day of the window, from the decision's data date on. */
  demandByDay: readonly number[];
  /** Closing stock of each day of the window; null for a day with no snapshot (not observed). */
  closingByDay: readonly (number | null)[];
  /** Stock on hand when the decision was made (the evening before the window's first day). */
  openingStock: number;
  /** The forecast demand over the whole horizon the decision used. */
  forecastUnits: number;
  horizonDays: number;
}

export interface OrderOutcome {
  daysObserved: number;
  /** Every day of the horizon had a stock snapshot. */
  complete: boolean;
  demandUnits: number;
  filledUnits: number;
  /** Null when nothing was demanded on the observed days. */
  fillRate: number | null;
  stockoutDays: number;
  endingStock: number | null;
  /** Forecast demand over the observed days (pro rata) and actual minus forecast. */
  forecastUnits: number;
  forecastError: number;
  /** |error| / actual; null when nothing was demanded. */
  absPctError: number | null;
}

export function measureOrderOutcome(input: OrderOutcomeInput): OrderOutcome {
  const days = Math.max(0, Math.ceil(input.horizonDays - 1e-9));
  let previous = input.openingStock;
  let observed = 0;
  let demand = 0;
  let filled = 0;
  let stockouts = 0;
  let ending: number | null = null;
  for (let d = 0; d < days; d += 1) {
    const close = input.closingByDay[d] ?? null;
    if (close === null) continue;
    const want = Math.max(0, input.demandByDay[d] ?? 0);
    observed += 1;
    demand += want;
    if (close > 0) filled += want;
    else {
      filled += Math.min(want, Math.max(0, previous));
      stockouts += 1;
    }
    previous = close;
    ending = close;
  }
  const forecast = days > 0 ? (input.forecastUnits * observed) / days : 0;
  const error = demand - forecast;
  return {
    daysObserved: observed,
    complete: days > 0 && observed === days,
    demandUnits: demand,
    filledUnits: filled,
    fillRate: demand > 0 ? filled / demand : null,
    stockoutDays: stockouts,
    endingStock: ending,
    forecastUnits: forecast,
    forecastError: error,
    absPctError: demand > 0 ? Math.abs(error) / demand : null,
  };
}
