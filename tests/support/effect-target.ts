/**
 * A stand-in ERP/helpdesk for action tests: a real local HTTP server that honours the
 * Idempotency-Key header the way such APIs do, counts effects per key and per business intent
 * (the payload's intentKey), answers a key it already has with 200 or, on demand, 409, and can
 * misbehave on demand (answer 503, apply the effect and then drop the reply, or hang after applying).
 */
import { createHash } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/** The Idempotency-Key opsloop sends for an intent, as the README documents it. */
export const intentHeader = (intentKey: string) => `opsloop-intent-${createHash('sha256').update(intentKey, 'utf8').digest('hex')}`;

export type Misbehaviour = 'unavailable' | 'drop-reply-after-effect' | 'hang-after-effect';

export interface EffectTarget {
  url: string;
  /** Effects applied per idempotency key: the number a user cares about. */
  effects: Map<string, number>;
  /** Effects applied per business intent (the payload's intentKey): two keys for one intent would show as 2. */
  intents: Map<string, number>;
  /** Every request received, in order, with its key and body. */
  deliveries: { key: string | undefined; body: Record<string, unknown> }[];
  /** Queue misbehaviours for the next requests, matched in order. */
  misbehave(...next: Misbehaviour[]): void;
  /** Answer every request 503 until called with false. */
  setDown(down: boolean): void;
  /** Answer 503 to every request about this decision subject. */
  setDownFor(subject: string): void;
  /** Answer a key it already has with this status: 200 (default) or 409 Conflict, as some APIs do. */
  answerDuplicatesWith(status: 200 | 409): void;
  close(): Promise<void>;
}

export async function startEffectTarget(): Promise<EffectTarget> {
  const effects = new Map<string, number>();
  const intents = new Map<string, number>();
  let duplicateStatus = 200;
  const deliveries: EffectTarget['deliveries'] = [];
  const queue: Misbehaviour[] = [];
  let down = false;
  const downFor = new Set<string>();
  const hanging: ServerResponse[] = [];

  const server: Server = createServer((req, res) => {
    void readJson(req).then((body) => {
      const key = req.headers['idempotency-key'] as string | undefined;
      deliveries.push({ key, body });
      const trick = queue.shift();
      if (down || trick === 'unavailable' || downFor.has(String(body['subject']))) return void res.writeHead(503).end('down for maintenance');
      if (!key) return void res.writeHead(400).end('Idempotency-Key required');
      const duplicate = effects.has(key);
      if (!duplicate) {
        effects.set(key, 1);
        const intent = String(body['intentKey']);
        intents.set(intent, (intents.get(intent) ?? 0) + 1);
      }
      if (trick === 'drop-reply-after-effect') return void req.socket.destroy();
      if (trick === 'hang-after-effect') return void hanging.push(res);
      res.writeHead(duplicate ? duplicateStatus : 201, { 'content-type': 'application/json' }).end(JSON.stringify({ accepted: true, duplicate }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/purchase-proposals`,
    effects,
    intents,
    deliveries,
    misbehave: (...next) => queue.push(...next),
    setDown: (value) => (down = value),
    setDownFor: (subject) => void downFor.add(subject),
    answerDuplicatesWith: (status) => void (duplicateStatus = status),
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return {};
  }
}
