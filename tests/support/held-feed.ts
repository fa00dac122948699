/**
 * An outside HTTP API for a pull source that holds its first reply until released, so a run is
 * known to be inside its collect stage while the test breaks something; later requests answer
 * at once. Every series reads above 90, so each one becomes a decision with an action.
 */
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';

export interface HeldFeed {
  url: string;
  requests: number;
  /** Resolves when the first request has arrived (and is being held). */
  held: Promise<void>;
  release(): void;
  close(): Promise<void>;
}

export async function startHeldFeed(series: string[]): Promise<HeldFeed> {
  let releaseHeld!: () => void;
  const released = new Promise<void>((resolve) => (releaseHeld = resolve));
  let arrived!: () => void;
  const held = new Promise<void>((resolve) => (arrived = resolve));
  const feed = { requests: 0 };
  const server: Server = createServer((_req, res) => {
    feed.requests += 1;
    const answer = () => {
      const ts = new Date(Date.now() - 60_000).toISOString();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ items: series.map((s, i) => ({ series: s, ts, value: 95 + (i % 5) })) }));
    };
    if (feed.requests === 1) {
      arrived();
      void released.then(answer);
    } else {
      answer();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/readings`,
    get requests() {
      return feed.requests;
    },
    held,
    release: () => releaseHeld(),
    close: () => new Promise((resolve) => {
      releaseHeld();
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
