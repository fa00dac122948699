/**
 * Synchronous writes that finish even on a non-blocking pipe or socket. A synchronous producer (the
 * simulation) can then stream millions of lines to stdout in bounded memory: a stream would queue
 * them all until the producer returns.
 */
import { writeSync } from 'node:fs';

const pause = new Int32Array(new SharedArrayBuffer(4));

/** Writes all of `text` to `fd`, waiting a few milliseconds whenever the reader is behind (EAGAIN). */
export function writeAllSync(fd: number, text: string): void {
  let rest = Buffer.from(text, 'utf8');
  while (rest.length > 0) {
    try {
      rest = rest.subarray(writeSync(fd, rest));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      Atomics.wait(pause, 0, 0, 5);
    }
  }
}
