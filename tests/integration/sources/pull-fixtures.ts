/**
 * Shared by the pull-source specs: a small reading schema, source definitions built in memory for
 * connector-level tests, creating sources through the API, and a local JSON server that plays
 * an outside HTTP API (records every request, answers from a handler the test sets).
 */
import { randomUUID } from 'node:crypto';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import type { SourceDefinition, SourceKind, SourceSchema } from '@opsloop/domain';
import type { RawRow } from '@opsloop/persistence';
import type { TestApi } from '../../support/test-apps';

/** One reading per (series, ts): the shape every pull spec collects. */
export const READING_SCHEMA: SourceSchema = {
  fields: [
    { name: 'series', type: 'string', required: true },
    { name: 'ts', type: 'timestamp', required: true },
    { name: 'value', type: 'number', required: true },
  ],
  uniqueKey: ['series', 'ts'], timeField: 'ts', seriesKey: ['series'], valueField: 'value', dimensions: [],
};

export function inMemorySource(kind: SourceKind, config: Record<string, unknown>, schema: SourceSchema = READING_SCHEMA): SourceDefinition {
  return {
    id: randomUUID(), name: `${kind} ${randomUUID()}`, kind, schema, config, onDuplicate: 'skip', partialBatches: true, gatePolicy: 'warn',
    quality: {}, hasSecret: false, createdAt: new Date().toISOString(), updatedAt: new Date().toISOString(),
  };
}

export async function collectRows(rows: AsyncIterable<RawRow>): Promise<RawRow[]> {
  const out: RawRow[] = [];
  for await (const r of rows) out.push(r);
  return out;
}

export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a failure, but it succeeded');
}

/** POST /api/v1/sources as admin; the response body (the source, never its secret). */
export async function createSource(api: TestApi, body: Record<string, unknown>): Promise<{ id: string } & Record<string, unknown>> {
  const res = await api.http().post('/api/v1/sources').set({ Authorization: `Bearer ${api.adminKey}` })
    .send({ name: `source ${randomUUID()}`, schema: READING_SCHEMA, ...body });
  if (res.status !== 201) throw new Error(`create source: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string };
}

export interface SeenRequest {
  url: string;
  headers: IncomingHttpHeaders;
}

export type Reply = { status: number; body?: unknown; delayMs?: number; headers?: Record<string, string> };

export interface JsonServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  requests: SeenRequest[];
  /** Answers each request; `url` is the path and query as received. */
  handle(handler: (url: URL) => Reply): void;
  close(): Promise<void>;
}

export async function startJsonServer(): Promise<JsonServer> {
  const requests: SeenRequest[] = [];
  let handler: (url: URL) => Reply = () => ({ status: 404 });
  const server: Server = createServer((req, res) => {
    requests.push({ url: req.url ?? '', headers: req.headers });
    const reply = handler(new URL(req.url ?? '/', 'http://127.0.0.1'));
    const send = () => {
      if (res.destroyed) return;
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
    };
    if (reply.delayMs) setTimeout(send, reply.delayMs);
    else send();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    handle: (h) => {
      handler = h;
    },
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
