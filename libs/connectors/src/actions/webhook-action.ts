/**
 * Delivers one intent's action to a webhook. Every attempt carries the same Idempotency-Key
 * header, so a receiver that honours it (as ERP and helpdesk APIs do) applies the effect once
 * even when a reply was lost and we send again. A 409 Conflict is such a receiver saying it
 * already has that key: the effect is there, so it counts as delivered.
 */
import { OutboundHttp } from '../http/outbound-http';

export type WebhookOutcome =
  /** `alreadyHad`: the receiver answered 409, it had the key from an earlier send. */
  | { kind: 'delivered'; status: number; body: unknown; alreadyHad: boolean }
  /** The target understood and said no: sending again would not help. */
  | { kind: 'refused'; status: number; body: unknown };

export class WebhookUnavailableError extends Error {
  override readonly name = 'WebhookUnavailableError';
}

const RETRYABLE_STATUS = new Set([408, 425, 429]);
const ALREADY_HAD_KEY = 409;

export async function deliverWebhook(
  http: OutboundHttp,
  target: { url: string; timeoutSeconds: number },
  idempotencyKey: string,
  payload: Record<string, unknown>,
): Promise<WebhookOutcome> {
  let reply;
  try {
    reply = await http.postJson(target.url, payload, {
      headers: { 'idempotency-key': idempotencyKey },
      timeoutMs: target.timeoutSeconds * 1000,
    });
  } catch (err) {
    if (err instanceof Error && err.name === 'OutboundRefusedError') throw err;
    throw new WebhookUnavailableError(`Webhook ${new URL(target.url).host} unreachable: ${describe(err)}`);
  }
  if (reply.status >= 200 && reply.status < 300) return { kind: 'delivered', status: reply.status, body: reply.body, alreadyHad: false };
  if (reply.status === ALREADY_HAD_KEY) return { kind: 'delivered', status: reply.status, body: reply.body, alreadyHad: true };
  if (reply.status >= 500 || RETRYABLE_STATUS.has(reply.status)) {
    throw new WebhookUnavailableError(`Webhook ${new URL(target.url).host} answered ${reply.status}`);
  }
  return { kind: 'refused', status: reply.status, body: reply.body };
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as Error & { cause?: unknown }).cause;
  return cause instanceof Error ? `${err.message} (${cause.message})` : err.message;
}
