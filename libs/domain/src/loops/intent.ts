/**
 * Business intents of actions. A kind says what one decision's action means as a few parts
 * (sku, location, data date; series and window); the engine prefixes the loop id. Two decisions
 * with the same intent key are the same business intent: it is delivered under one idempotency
 * key, once at the receiver, however many runs decided it. Pure: the hash is passed in, so
 * workflow code may import this module.
 */
import type { ActionTarget } from './loop-config';

/** `<loopId>:<part>:<part>…`, each part percent-encoded so a `:` inside a sku cannot collide. */
export function intentKey(loopId: string, parts: readonly string[]): string {
  if (parts.length === 0) throw new Error('an intent needs at least one part');
  return [loopId, ...parts].map((p) => encodeURIComponent(p)).join(':');
}

export const INTENT_IDEMPOTENCY_PREFIX = 'opsloop-intent-';

/**
 * The Idempotency-Key header of an intent's action: `opsloop-intent-` + the SHA-256 hex of the
 * intent key's UTF-8 bytes. Hashed because a key holds user text (any sku) that a header cannot
 * carry, and receivers cap key length (255 is common): this is 79 ASCII characters, always.
 */
export function intentIdempotencyKey(intent: string, sha256Hex: (text: string) => string): string {
  return `${INTENT_IDEMPOTENCY_PREFIX}${sha256Hex(intent)}`;
}

/**
 * The UTC-aligned window of `seconds` an instant falls in, as an ISO 8601 interval
 * (`2025-05-01T10:00:00Z/2025-05-01T11:00:00Z`). Aligned to the Unix epoch, so every run and
 * every process puts one instant in the same window without sharing any state.
 */
export function timeWindow(instant: string | number, seconds: number): string {
  if (!Number.isInteger(seconds) || seconds < 1) throw new Error(`window must be a whole number of seconds >= 1, got ${seconds}`);
  const ms = typeof instant === 'number' ? instant : Date.parse(instant);
  if (!Number.isFinite(ms)) throw new Error(`not an instant: ${String(instant)}`);
  const size = seconds * 1000;
  const start = Math.floor(ms / size) * size;
  const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');
  return `${iso(start)}/${iso(start + size)}`;
}

/** Who holds an intent's effect row and how far it got. */
export interface EffectHolder {
  decisionId: string;
  status: 'sending' | 'confirmed' | 'failed';
}

/**
 * What a decision may do with the intent's effect row it found:
 * - `send`: it holds the row and nothing is confirmed (first try, retry, or resend after a crash);
 * - `confirmed`: it holds the row and the receiver already has the effect: send nothing;
 * - `take-over`: the holder gave up (failed), so the intent was never delivered: this decision
 *   sends it, under the same key;
 * - `duplicate`: another decision delivered it, or is delivering it now: send nothing.
 */
export type EffectClaim = 'send' | 'confirmed' | 'take-over' | 'duplicate';

export function effectClaim(holder: EffectHolder, decisionId: string): EffectClaim {
  if (holder.decisionId === decisionId) return holder.status === 'confirmed' ? 'confirmed' : 'send';
  return holder.status === 'failed' ? 'take-over' : 'duplicate';
}

/**
 * How long one attempt of an action may hold its effect row `sending` before the row is stale:
 * the activity's start-to-close timeout (target timeout + 5 s, as workflows/loop-run sets it)
 * plus the longest retry back-off (30 s). Past that, no attempt is in flight and none is about
 * to start, so a row still `sending` was left by a crash and the sweep re-sends it.
 */
export function actionStaleAfterSeconds(target: ActionTarget): number {
  const timeout = target.type === 'webhook' ? target.timeoutSeconds : 10;
  return timeout + 5 + 30;
}
