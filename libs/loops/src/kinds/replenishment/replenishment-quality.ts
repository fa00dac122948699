/**
 * The run's quality report: each source's pull under its own gate policy, then what the kind
 * itself can see. Only a missing source or a source's blocking gate stops the run; gaps in the
 * item data are reported and end as "not ordered" decisions with their reason, never as guesses.
 */
import { addDays, dayStartMs } from '@opsloop/domain';
import type { QualityCheck, QualityReport } from '../../loop-kind';
import { pullChecks } from '../../source-pull';
import type { ReplenishmentCollected } from './replenishment-data';

export function assessReplenishmentQuality(c: ReplenishmentCollected): QualityReport {
  const checks: QualityCheck[] = [];
  let blocking = false;
  for (const [role, pulled] of Object.entries(c.sources)) {
    const r = pullChecks(pulled, role);
    checks.push(...r.checks);
    blocking ||= r.blocking;
  }
  const n = c.items.length;
  const count = (pred: (i: ReplenishmentCollected['items'][number]) => boolean) => c.items.filter(pred).length;
  const noStock = count((i) => i.onHand === null);
  const noMaster = count((i) => i.master === null);
  const staleBefore = c.dataDate ? dayStartMs(addDays(c.dataDate, -1)) : 0;
  const stale = count((i) => i.onHandAt !== null && Date.parse(i.onHandAt) < staleBefore);
  const negatives = c.counts.negativeDemandDays + c.counts.negativeOnHand;
  checks.push(
    { name: 'demand-history', ok: n > 0, message: n > 0 ? `${n} item-location(s) in scope up to ${c.dataDate}` : `no demand series in scope (${c.counts.demandSeries} in the source)` },
    { name: 'on-hand-known', ok: noStock === 0, message: noStock === 0 ? 'every item has an on-hand level' : `${noStock} item(s) without an on-hand level are not ordered` },
    { name: 'on-hand-fresh', ok: stale === 0, message: stale === 0 ? 'on-hand levels are from the day before the data date or later' : `${stale} item(s) have an on-hand level older than the day before ${c.dataDate}` },
    { name: 'item-master', ok: noMaster === 0, message: noMaster === 0 ? 'every item has item master data' : `${noMaster} item(s) without item master data are not ordered` },
    {
      name: 'non-negative', ok: negatives === 0,
      message: negatives === 0 ? 'no negative demand or stock' : `${c.counts.negativeDemandDays} negative demand day(s) and ${c.counts.negativeOnHand} negative on-hand level(s) read as 0: declare min 0 on the sources so the gate quarantines them`,
    },
  );
  const ok = checks.every((ch) => ch.ok);
  return { ok, blocking: blocking && !ok, checks };
}
