/** JSON over HTTP for actions and probes, always through the allow-list and always with a timeout. */
import { OutboundPolicy } from './allowed-hosts';

export interface HttpReply {
  status: number;
  body: unknown;
}

const MAX_BODY_CHARS = 64 * 1024;

export class OutboundHttp {
  constructor(readonly policy: OutboundPolicy) {}

  async postJson(url: string, body: unknown, opts: { headers?: Record<string, string>; timeoutMs: number }): Promise<HttpReply> {
    const target = await this.policy.assertAllowed(url);
    const res = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...opts.headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(opts.timeoutMs),
      redirect: 'error',
    });
    return { status: res.status, body: await readBody(res) };
  }

  async getJson(url: string, opts: { timeoutMs: number }): Promise<HttpReply> {
    const target = await this.policy.assertAllowed(url);
    const res = await fetch(target, { signal: AbortSignal.timeout(opts.timeoutMs), redirect: 'error' });
    return { status: res.status, body: await readBody(res) };
  }
}

/** Bounded, and JSON when it parses: replies end up in the ledger, which must stay small. */
async function readBody(res: Response): Promise<unknown> {
  const text = (await res.text()).slice(0, MAX_BODY_CHARS);
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
