/**
 * The last lines a process's current run printed, kept so that `npm start` can show why it gave
 * up on it even when the console scrolled past (or the lines were filtered out of it).
 */
export class RecentLines {
  private readonly kept: string[] = [];

  constructor(private readonly limit = 20) {}

  /** Takes one line or a chunk of several. Blank lines carry nothing and are dropped. */
  push(text: string): void {
    for (const line of text.split(/\r?\n/)) {
      if (line.trim() === '') continue;
      this.kept.push(line);
      if (this.kept.length > this.limit) this.kept.shift();
    }
  }

  /** Forgets what an earlier run printed: a new run starts. */
  clear(): void {
    this.kept.length = 0;
  }

  lines(): string[] {
    return [...this.kept];
  }
}
