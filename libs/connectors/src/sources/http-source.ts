/**
 * Pulls JSON items from an HTTP source: GET through the outbound allow-list (private and
 * loopback addresses refused unless named), a timeout per request, no redirects, a bounded
 * body, retries with exponential backoff on 5xx/408/429, timeouts and connection errors, and
 * pagination (http-pages). Secret headers go on the wire only: errors name the host and status.
 */
import type { SourceDefinition } from '@opsloop/domain';
import type { RawRow } from '@opsloop/persistence';
import { OutboundPolicy } from '../http/allowed-hosts';
import { itemsOf, Pager, rowOfItem } from './http-pages';
import { describeError, PullSource, SourcePullError } from './pull-source';
import { HttpSourceConfig, parseSourceConfig } from './source-config';

const RETRYABLE_STATUS = new Set([408, 425, 429]);

export interface HttpSourceOptions {
  /** Delay before the first retry; doubles each time (default 500 ms). */
  backoffMs?: number;
  /** Largest reply body read per page (default 32 MiB); a bigger one fails the pull. */
  maxBodyBytes?: number;
}

export class HttpSource implements PullSource {
  constructor(private readonly policy: OutboundPolicy, private readonly options: HttpSourceOptions = {}) {}

  async *pull(source: SourceDefinition, secret: Record<string, unknown> | null, signal?: AbortSignal): AsyncIterable<RawRow> {
    const config = parseSourceConfig('http', source.config);
    const headers = secretHeaders(secret);
    const pager = new Pager(config.url, config.pagination);
    let url: string | null = pager.first();
    let row = 0;
    for (let page = 1; url !== null; page++) {
      const body = await this.getWithRetries(url, headers, config, signal);
      const items = itemsOf(body, config.itemsPath, page);
      const next = pager.next(url, body, items.length);
      for (const [i, item] of items.entries()) {
        row += 1;
        yield { row, values: rowOfItem(item, source.schema, config.fieldMap, `item ${i + 1} of page ${page}`) };
      }
      url = next;
    }
  }

  private async getWithRetries(url: string, headers: Record<string, string>, config: HttpSourceConfig, signal?: AbortSignal): Promise<unknown> {
    const base = this.options.backoffMs ?? 500;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.getOnce(url, headers, config.timeoutMs, signal);
      } catch (err) {
        if (!(err instanceof SourcePullError) || !err.retryable || attempt >= config.retries) throw err;
        await sleep(base * 2 ** attempt, signal);
      }
    }
  }

  private async getOnce(url: string, headers: Record<string, string>, timeoutMs: number, signal?: AbortSignal): Promise<unknown> {
    const target = await this.allowed(url);
    const where = `${target.host}${target.pathname}`;
    const timeout = AbortSignal.timeout(timeoutMs);
    let res: Response;
    try {
      res = await fetch(target, {
        headers: { accept: 'application/json', ...headers },
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        redirect: 'error',
      });
    } catch (err) {
      signal?.throwIfAborted();
      if (timeout.aborted) throw new SourcePullError(`GET ${where} timed out after ${timeoutMs} ms`, true);
      // Defence in depth: an invalid header makes fetch quote it, and header values are secrets.
      const reason = Object.values(headers).reduce((text, value) => text.split(value).join('***'), describeError(err));
      if (/redirect/i.test(reason)) throw new SourcePullError(`GET ${where} answered with a redirect, which is not followed; configure the final URL`, false);
      throw new SourcePullError(`GET ${where} failed: ${reason}`, true);
    }
    if (res.status < 200 || res.status > 299) {
      await res.body?.cancel().catch(() => undefined);
      const retryable = res.status >= 500 || RETRYABLE_STATUS.has(res.status);
      const hint = res.status >= 300 && res.status < 400 ? ' (redirects are not followed; configure the final URL)' : '';
      throw new SourcePullError(`GET ${where} answered ${res.status}${hint}`, retryable);
    }
    const text = await this.boundedText(res, where, timeout);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new SourcePullError(`GET ${where} did not answer with JSON`, false);
    }
  }

  private async allowed(url: string): Promise<URL> {
    try {
      return await this.policy.assertAllowed(url);
    } catch (err) {
      // Refused by the allow-list (never retried) or a name that does not resolve (may be transient).
      const refused = err instanceof Error && err.name === 'OutboundRefusedError';
      throw new SourcePullError(refused ? (err as Error).message : `cannot resolve ${safeHost(url)}: ${describeError(err)}`, !refused);
    }
  }

  /** Reads the body up to the cap; a bigger reply is an error, never silently truncated JSON. */
  private async boundedText(res: Response, where: string, timeout: AbortSignal): Promise<string> {
    const max = this.options.maxBodyBytes ?? 32 * 1024 * 1024;
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (declared > max) throw new SourcePullError(`GET ${where} reply is ${declared} bytes, over the ${max}-byte limit`, false);
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      for await (const chunk of res.body ?? []) {
        size += chunk.length;
        if (size > max) {
          await res.body?.cancel().catch(() => undefined);
          throw new SourcePullError(`GET ${where} reply is over the ${max}-byte limit`, false);
        }
        chunks.push(chunk);
      }
    } catch (err) {
      if (err instanceof SourcePullError) throw err;
      if (timeout.aborted) throw new SourcePullError(`GET ${where} timed out while reading the reply`, true);
      throw new SourcePullError(`GET ${where} reply broke off: ${describeError(err)}`, true);
    }
    return new TextDecoder('utf-8').decode(Buffer.concat(chunks));
  }
}

function secretHeaders(secret: Record<string, unknown> | null): Record<string, string> {
  const headers = secret?.['headers'];
  if (headers === undefined || headers === null) return {};
  if (typeof headers !== 'object' || Object.values(headers).some((v) => typeof v !== 'string')) {
    throw new SourcePullError('http source secret.headers must map header names to strings', false);
  }
  return headers as Record<string, string>;
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the configured URL';
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
