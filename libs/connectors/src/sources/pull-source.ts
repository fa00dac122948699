/**
 * The one interface every pull connector (postgres, http, csv file) implements, and the error
 * they throw when a pull cannot go on. The collector retries only what might succeed next time.
 */
import type { SourceDefinition } from '@opsloop/domain';
import type { RawRow } from '@opsloop/persistence';

export interface PullSource {
  /**
   * Streams the source's current rows, 1-based `row` numbers in read order. Throws
   * `SourcePullError` (or an abort error when `signal` fires); never yields a partial set silently.
   */
  pull(source: SourceDefinition, secret: Record<string, unknown> | null, signal?: AbortSignal): AsyncIterable<RawRow>;
}

/**
 * Why a pull stopped, in words safe to store and show: never a password, header value or
 * connection string. `retryable` is false when trying again cannot help (a refused write, a
 * path outside the root, a 4xx), so the collector fails fast instead of waiting out backoffs.
 */
export class SourcePullError extends Error {
  override readonly name = 'SourcePullError';
  constructor(message: string, readonly retryable: boolean) {
    super(message);
  }
}

/** A message for errors that are not ours (network, driver): the cause's text, nothing more. */
export function describeError(err: unknown): string {
  // Duck-typed: errors from fetch (undici) may come from another realm, where instanceof Error fails.
  const message = messageOf(err);
  if (message === null) return String(err);
  const cause = messageOf((err as { cause?: unknown }).cause);
  return cause && !message.includes(cause) ? `${message} (${cause})` : message;
}

function messageOf(err: unknown): string | null {
  return typeof err === 'object' && err !== null && typeof (err as { message?: unknown }).message === 'string' ? (err as { message: string }).message : null;
}
