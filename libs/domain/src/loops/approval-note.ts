/**
 * Whether a new decision waits for a person, and the sentence that says so. Both come from the
 * same rule, so an explanation can never say "needs approval" for a decision whose approval
 * status is `not-required` (a dry run over the threshold says what *would* have happened).
 */
import { formatMoney, formatQuantity, tidyNumber } from '../text/number-text';
import { ApprovalRule, approvalRequired, LoopMode, modeActs } from './loop-config';
import type { ApprovalStatus } from './run-state';

/** How a kind names its magnitude in a sentence: "value 490.00", "distance past the bound 15". */
export interface MagnitudeWording {
  label: string;
  /** Print the magnitude and the threshold as money (two decimals). */
  money?: boolean;
}

export const DEFAULT_MAGNITUDE_WORDING: MagnitudeWording = { label: 'magnitude' };

export interface DecisionBasis {
  mode: LoopMode;
  rule: ApprovalRule;
  hasAction: boolean;
  magnitude: number;
}

/** `pending` only for a decision that will act and that the rule holds back; else `not-required`. */
export function initialApprovalStatus(b: DecisionBasis): ApprovalStatus {
  return modeActs(b.mode) && b.hasAction && approvalRequired(b.rule, b.magnitude) ? 'pending' : 'not-required';
}

/** The approval (or mode) sentence of a decision's explanation; '' when there is nothing to say. */
export function approvalNote(b: DecisionBasis, wording: MagnitudeWording = DEFAULT_MAGNITUDE_WORDING): string {
  if (!b.hasAction) return '';
  const wouldNeed = approvalRequired(b.rule, b.magnitude);
  const why = ruleReason(b.rule, b.magnitude, wording);
  if (modeActs(b.mode)) return wouldNeed ? `Needs approval: ${why}.` : '';
  const nothingDone = `in ${b.mode} mode nobody was asked and nothing was sent`;
  if (wouldNeed) return `Would need approval: ${why}; ${nothingDone}.`;
  return `In ${b.mode} mode this was recorded only: nothing was sent.`;
}

function ruleReason(rule: ApprovalRule, magnitude: number, w: MagnitudeWording): string {
  if (rule.when !== 'above') return 'this loop asks a person about every decision';
  const fmt = w.money ? formatMoney : formatQuantity;
  let [m, t] = [fmt(magnitude), fmt(rule.threshold)];
  // Rounding must not make "above" read as "equal": show the figures in full then.
  if (m === t) [m, t] = [String(tidyNumber(magnitude)), String(tidyNumber(rule.threshold))];
  return `${w.label} ${m} is above the threshold ${t}`;
}

/** Business reason first, then the approval note, then the figures behind it. */
export function composeExplanation(headline: string, note: string, details?: string): string {
  return [headline, note, details ?? ''].filter((part) => part.length > 0).join(' ');
}
