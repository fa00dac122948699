/**
 * The simulator's baseline, `static-minmax`: the ERP habit of reorder levels typed in once.
 * (`opsloop` is in opsloop-sim.ts.)
 */
import { mean, sampleStandardDeviation } from 'simple-statistics';
import { roundOrderQuantity } from '../ordering';
import { ItemView, SimulatedPolicy } from './engine';

export interface MinMaxLevels {
  min: number;
  max: number;
}

/** The contract's safety multiplier on sd·√L. */
export const STATIC_MINMAX_K = 1.65;

/**
 * min = mean·L + 1.65·sd·√L and max = min + mean·R, with the mean and the sample standard
 * deviation of daily demand over the warm-up only. `k` replaces 1.65 only for the bench's
 * question "how much stock would the baseline need to serve as well as opsloop?".
 */
export function staticMinMaxLevels(warmupDemand: readonly number[], leadTimeDays: number, reviewPeriodDays: number, k = STATIC_MINMAX_K): MinMaxLevels {
  const mu = mean([...warmupDemand]);
  const sd = warmupDemand.length > 1 ? sampleStandardDeviation([...warmupDemand]) : 0;
  const min = mu * leadTimeDays + k * sd * Math.sqrt(leadTimeDays);
  return { min, max: min + mu * reviewPeriodDays };
}

/**
 * Order rule: on a review day, when the inventory position (on hand + on order) is at or below
 * min, order up to max, rounded up to whole packs and at least the MOQ like any real order;
 * otherwise order nothing. Levels are set from the warm-up once and never updated.
 */
export function staticMinMaxPolicy(warmupDays: number, reviewPeriodDays: number, k = STATIC_MINMAX_K): SimulatedPolicy {
  const levels = new Map<string, MinMaxLevels>();
  const levelsOf = (v: ItemView): MinMaxLevels => {
    const key = `${v.sku}\u0000${v.location}`;
    let found = levels.get(key);
    if (!found) {
      found = staticMinMaxLevels(v.history.slice(0, warmupDays), v.leadTimeDays, reviewPeriodDays, k);
      levels.set(key, found);
    }
    return found;
  };
  return {
    name: 'static-minmax',
    decide(_day, views) {
      return views.map((v) => {
        const { min, max } = levelsOf(v);
        const position = v.onHand + v.onOrder;
        return position <= min ? roundOrderQuantity(max - position, v.packSize, v.moq) : 0;
      });
    },
  };
}
