import fs from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const stack = (globalThis as Record<string, unknown>).__OPSLOOP_TEST_STACK__ as
    | { scratch: string; stops: (() => Promise<void>)[] }
    | undefined;
  if (!stack) return;
  for (const stop of stack.stops.reverse()) await stop();
  fs.rmSync(stack.scratch, { recursive: true, force: true });
}
