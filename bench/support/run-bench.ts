/**
 * How every bench entry point runs: main, then the clean-up whatever happened; Ctrl-C or SIGTERM
 * clean up first too, so no server or child process outlives the bench.
 */
export function runBench(main: () => Promise<void>, stopAll: () => Promise<void>, log: (line: string) => void): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping`);
      void stopAll().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    });
  }
  main()
    .catch((err: unknown) => {
      log(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      process.exitCode = 1;
    })
    .finally(() => stopAll());
}
