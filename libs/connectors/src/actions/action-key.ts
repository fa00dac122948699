/**
 * The Idempotency-Key every attempt of a decision's action carries: derived from its business
 * intent (`opsloop-intent-<sha256 hex of the intent key>`), so every decision of one intent, in
 * any run, is sent under the same key. Decisions made before intents keep the key they were
 * first sent under, `opsloop-decision-<id>`, so a retry of one of them still matches.
 */
import { createHash } from 'node:crypto';
import { actionIdempotencyKey, intentIdempotencyKey } from '@opsloop/domain';

const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

export function actionKeyOf(decision: { id: string; intentKey: string | null }): string {
  return decision.intentKey === null ? actionIdempotencyKey(decision.id) : intentIdempotencyKey(decision.intentKey, sha256Hex);
}
