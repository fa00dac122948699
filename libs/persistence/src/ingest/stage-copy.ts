/**
 * One COPY FROM STDIN into the staging table, fed line by line. Each line is encoded straight
 * into a 64 KiB buffer, so a row's strings die young instead of waiting in a long string rope
 * (which would push them into the old generation and let the heap swell on a million rows). The
 * producer waits only when the socket is full, so parsing in Node and loading in Postgres
 * overlap on the two sides of the connection.
 */
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

const CHUNK_BYTES = 64 * 1024;
/** UTF-8 needs at most 3 bytes per UTF-16 code unit. */
const MAX_BYTES_PER_CHAR = 3;

export class StageCopy {
  private buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;
  private readonly ready: Buffer[] = [];
  private failure: Error | null = null;
  private readonly stream: ReturnType<typeof copyFrom>;

  constructor(client: PoolClient, sql: string) {
    this.stream = client.query(copyFrom(sql));
    this.stream.on('error', (err: Error) => (this.failure ??= err));
  }

  /** Queues one line. */
  add(line: string): void {
    const worstCase = line.length * MAX_BYTES_PER_CHAR;
    if (this.used + worstCase > CHUNK_BYTES) this.seal();
    if (worstCase > CHUNK_BYTES) {
      this.ready.push(Buffer.from(line, 'utf8'));
      return;
    }
    this.used += this.buffer.write(line, this.used, 'utf8');
  }

  /** A chunk is ready: the caller should `await flush()` before adding more. */
  full(): boolean {
    return this.ready.length > 0;
  }

  async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    for (const chunk of this.ready.splice(0)) {
      if (!this.stream.write(chunk)) await this.drained();
    }
  }

  /** Sends the rest and waits for Postgres to confirm the COPY. */
  async finish(): Promise<void> {
    this.seal();
    await this.flush();
    this.stream.end();
    if (!this.stream.writableFinished) await this.settled('finish');
    if (this.failure) throw this.failure;
  }

  /**
   * Ends the COPY after the input failed (bad rows, client gone); the caller then rolls back,
   * which drops whatever was copied. It ends cleanly, not with CopyFail: Postgres logs a failed
   * COPY as an ERROR carrying the reason, and refused input is no server error. Only whole lines
   * were queued, and the unsent ones are dropped, so the COPY ends well-formed.
   */
  async abort(): Promise<void> {
    if (this.stream.destroyed || this.stream.writableFinished) return;
    this.ready.length = 0;
    this.used = 0;
    this.stream.end();
    await this.settled('finish');
  }

  /** The filled part of the current buffer becomes a chunk to send; a fresh buffer takes the next lines. */
  private seal(): void {
    if (this.used === 0) return;
    this.ready.push(this.buffer.subarray(0, this.used));
    this.buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    this.used = 0;
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
