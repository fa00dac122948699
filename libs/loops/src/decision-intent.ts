/**
 * The intent key of a decided action, as the engine stores it with the decision: the kind's
 * `intentOf` parts under the loop id, or, for a kind that does not say what its actions mean,
 * one intent per decision (its run and its place in the run).
 */
import { intentKey } from '@opsloop/domain';
import type { DecisionDraft, LoopKindHandler, RunContext } from './loop-kind';

export function decisionIntentKey<P extends object>(kind: LoopKindHandler<P>, ctx: RunContext<P>, draft: DecisionDraft, position: number): string | null {
  if (draft.action === null) return null;
  const parts = kind.intentOf ? kind.intentOf(ctx, draft) : ['decision', ctx.runId, String(position + 1)];
  return intentKey(ctx.loopId, parts);
}
