/**
 * Start-up waits: retry `probe` until it says yes, until `abort` settles (a child died or the
 * user pressed Ctrl-C), or until time runs out. The probe answers true, or why it is not ready.
 */
export async function pollUntil(
  probe: () => Promise<true | string>,
  opts: { what: string; timeoutMs: number; abort: Promise<unknown>; intervalMs?: number },
): Promise<void> {
  let aborted = false;
  void opts.abort.then(() => (aborted = true));
  const deadline = Date.now() + opts.timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline && !aborted) {
    try {
      const answer = await probe();
      if (answer === true) return;
      last = answer;
    } catch (err) {
      last = String(err);
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 300));
  }
  throw new Error(aborted ? 'a process exited during start-up' : `${opts.what} after ${opts.timeoutMs} ms: ${last}`);
}
