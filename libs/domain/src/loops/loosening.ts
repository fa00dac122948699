/**
 * Separation of duties: which changes to a loop loosen control, and so need an admin. Loosening
 * means the loop may do more without a person, or without the person it needed before: act on
 * the outside world (mode live), act to somewhere new (action target), decide by other rules
 * (policy version), let more decisions through unasked or less watched (approval), or let the
 * tune step move params further (tuning bounds). Every other change, tightening included, is
 * open to operators. Pure: the API asks before it writes anything.
 */
import { canonicalJson } from '../ledger/canonical-json';
import type { ActionTarget, ApprovalRule, LoopMode } from './loop-config';
import { approverRole } from './loop-config';

/** The role a loosening change needs. */
export const LOOSENING_ROLE = 'admin' as const;

/** Params the tune step may move, each with the range it may move them in (as the loop kind declares). */
export type TuningBounds = Record<string, { min: number; max: number }>;

/** The parts of a loop that decide what it may do without a person. */
export interface LoopControls {
  mode: LoopMode;
  approval: ApprovalRule;
  actionTarget: ActionTarget;
  policyVersion: string;
  tuningBounds: TuningBounds;
}

/** Every request field a loosening can be named under (the README's table lists each). */
export const LOOSENING_FIELDS = [
  'mode', 'approval.when', 'approval.threshold', 'approval.timeoutSeconds', 'approval.onTimeout', 'approval.role', 'actionTarget', 'policyVersion',
  'params.tuning',
] as const;
export type LooseningField = (typeof LOOSENING_FIELDS)[number];

/** One loosened field: the request field that did it, and why it counts as loosening. */
export interface Loosening {
  field: LooseningField;
  reason: string;
}

/**
 * What a new loop is compared with: the defaults a create without those fields gets. It cannot
 * act (dry-run, record target), so needs no approval yet; whoever later makes it live owns that.
 */
export function newLoopBaseline(defaultPolicyVersion: string, defaultTuningBounds: TuningBounds): LoopControls {
  return { mode: 'dry-run', approval: { when: 'never' }, actionTarget: { type: 'record' }, policyVersion: defaultPolicyVersion, tuningBounds: defaultTuningBounds };
}

/** Every way `after` loosens `before`; empty when the change keeps or tightens control. */
export function loosenings(before: LoopControls, after: LoopControls): Loosening[] {
  return [
    ...modeLoosening(before.mode, after.mode),
    ...approvalLoosenings(before.approval, after.approval),
    ...targetLoosening(before.actionTarget, after.actionTarget),
    ...policyLoosening(before.policyVersion, after.policyVersion),
    ...tuningLoosenings(before.tuningBounds, after.tuningBounds),
  ];
}

function modeLoosening(before: LoopMode, after: LoopMode): Loosening[] {
  if (after !== 'live' || before === 'live') return [];
  return [{ field: 'mode', reason: `mode ${before} → live lets the loop act on the outside world` }];
}

function targetLoosening(before: ActionTarget, after: ActionTarget): Loosening[] {
  if (canonicalJson(before) === canonicalJson(after)) return [];
  return [{ field: 'actionTarget', reason: 'a new action target sends actions somewhere they did not go before' }];
}

function policyLoosening(before: string, after: string): Loosening[] {
  if (before === after) return [];
  return [{ field: 'policyVersion', reason: `policy version ${before} → ${after} decides by other rules` }];
}

/**
 * A weaker approval rule, component by component:
 * - coverage: fewer magnitudes need a person (always ⊃ above t ⊃ never; above t ⊃ above t' for t < t');
 * - window: a longer timeout keeps a decision open to approval for longer;
 * - on timeout: reject → escalate keeps it open for a second window after the first;
 * - approver: admin → operator lets a lower role answer.
 * The last three only compare rules that both need a person; to or from `never` only coverage counts.
 */
export function approvalLoosenings(before: ApprovalRule, after: ApprovalRule): Loosening[] {
  if (before.when === 'never') return [];
  if (after.when === 'never') return [{ field: 'approval.when', reason: `approval ${before.when} → never lets decisions act without a person` }];
  const found: Loosening[] = [];
  if (before.when === 'always' && after.when === 'above') {
    found.push({ field: 'approval.when', reason: `approval always → above ${after.threshold} lets decisions up to ${after.threshold} act without a person` });
  }
  if (before.when === 'above' && after.when === 'above' && after.threshold > before.threshold) {
    found.push({ field: 'approval.threshold', reason: `approval threshold ${before.threshold} → ${after.threshold} lets larger decisions act without a person` });
  }
  if (after.timeoutSeconds > before.timeoutSeconds) {
    found.push({ field: 'approval.timeoutSeconds', reason: `approval timeout ${before.timeoutSeconds}s → ${after.timeoutSeconds}s keeps decisions open to approval for longer` });
  }
  if (before.onTimeout === 'reject' && after.onTimeout === 'escalate') {
    found.push({ field: 'approval.onTimeout', reason: 'onTimeout reject → escalate keeps an unanswered decision open to approval after its timeout' });
  }
  if (approverRole(before) === 'admin' && approverRole(after) === 'operator') {
    found.push({ field: 'approval.role', reason: 'approval.role admin → operator lets operators answer decisions only admins could' });
  }
  return found;
}

/** Wider when the tune step may move a param it could not, or past the range it had. */
export function tuningLoosenings(before: TuningBounds, after: TuningBounds): Loosening[] {
  const found: Loosening[] = [];
  for (const [param, range] of Object.entries(after).sort(([a], [b]) => a.localeCompare(b))) {
    const was = Object.prototype.hasOwnProperty.call(before, param) ? before[param] : undefined;
    if (!was) {
      found.push({ field: 'params.tuning', reason: `tuning may now move ${param} within ${range.min}..${range.max}; it could not move it before` });
    } else if (range.min < was.min || range.max > was.max) {
      found.push({ field: 'params.tuning', reason: `tuning bounds of ${param} widen from ${was.min}..${was.max} to ${range.min}..${range.max}` });
    }
  }
  return found;
}
