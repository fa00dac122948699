/**
 * The MAC that signs ledger anchors: HMAC-SHA256 under OPSLOOP_ANCHOR_KEY, or under a key
 * derived for this one purpose from OPSLOOP_SECRET_KEY. Neither key is ever in the database.
 */
import { createHmac } from 'node:crypto';
import { SecretBox } from './secret-box';

export function anchorMac(env: { OPSLOOP_SECRET_KEY: string; OPSLOOP_ANCHOR_KEY?: string }): (text: string) => string {
  const key = SecretBox.fromEnv(env.OPSLOOP_ANCHOR_KEY ?? env.OPSLOOP_SECRET_KEY).hmacKey('ledger-anchor');
  return (text) => createHmac('sha256', key).update(text, 'utf8').digest('hex');
}
