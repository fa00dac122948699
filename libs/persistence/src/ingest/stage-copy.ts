/**
 * One COPY FROM STDIN into the staging table, fed line by line. Lines are gathered into large
 * chunks (fewer socket writes), and the producer waits only when the socket is full, so parsing
 * in Node and loading in Postgres overlap on the two sides of the connection.
 */
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/**
 * Below V8's large-object size (128 KiB): each flushed chunk is a young string that dies in the
 * next scavenge, instead of a large object that waits for a full collection.
 */
const CHUNK_CHARS = 64 * 1024;

export class StageCopy {
  private buffer = '';
  private failure: Error | null = null;
  private readonly stream: ReturnType<typeof copyFrom>;

  constructor(client: PoolClient, sql: string) {
    this.stream = client.query(copyFrom(sql));
    this.stream.on('error', (err: Error) => (this.failure ??= err));
  }

  /** Queues one line. */
  add(line: string): void {
    this.buffer += line;
  }

  /** Enough is queued: the caller should `await flush()` before adding more. */
  full(): boolean {
    return this.buffer.length >= CHUNK_CHARS;
  }

  async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.buffer === '') return;
    const chunk = this.buffer;
    this.buffer = '';
    if (!this.stream.write(chunk)) await this.drained();
  }

  /** Sends the rest and waits for Postgres to confirm the COPY. */
  async finish(): Promise<void> {
    await this.flush();
    this.stream.end();
    if (!this.stream.writableFinished) await this.settled('finish');
    if (this.failure) throw this.failure;
  }

  /** Asks Postgres to fail the COPY (CopyFail); the transaction then only rolls back. */
  async abort(reason: Error): Promise<void> {
    if (this.stream.destroyed || this.stream.writableFinished) return;
    this.stream.destroy(reason);
    await this.settled('close').catch(() => undefined);
  }

  private async drained(): Promise<void> {
    await this.settled('drain');
    if (this.failure) throw this.failure;
  }

  private settled(event: 'drain' | 'finish' | 'close'): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        this.stream.off(event, done);
        this.stream.off('error', done);
        this.stream.off('close', done);
        resolve();
      };
      this.stream.once(event, done);
      this.stream.once('error', done);
      this.stream.once('close', done);
    });
  }
}
