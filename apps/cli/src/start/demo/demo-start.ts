/**
 * The demo at `npm start`: on by default with the embedded database (see demoEnabled). A demo that cannot be set up is reported and
 * skipped; it never stops the stack a user started.
 */
import { ApiAddress } from '../api-address';
import { DEMO_CRON } from './demo-definitions';
import { setUpDemo } from './demo-setup';

const OFF = new Set(['0', 'false', 'no', 'off']);

/**
 * OPSLOOP_DEMO decides when set. Unset, the demo goes only into the embedded database `npm start`
 * owns: never into a database the user pointed DATABASE_URL at.
 */
export function demoEnabled(env: { OPSLOOP_DEMO?: string; DATABASE_URL?: string }): boolean {
  const value = (env.OPSLOOP_DEMO ?? '').trim().toLowerCase();
  if (value !== '') return !OFF.has(value);
  return !env.DATABASE_URL;
}

export interface DemoAtStartOptions {
  api: ApiAddress;
  adminKey: string;
  log: (line: string) => void;
  /** Settles when start-up is interrupted (Ctrl-C, a child exited): the push stops there. */
  interrupted: Promise<unknown>;
}

/** Sets the demo up and returns the banner lines about it (none when off or failed). */
export async function setUpDemoAtStart(opts: DemoAtStartOptions): Promise<string[]> {
  if (!demoEnabled(process.env)) return [];
  const abort = new AbortController();
  void opts.interrupted.then(() => abort.abort());
  try {
    const demo = await setUpDemo({ baseUrl: opts.api.probe, adminKey: opts.adminKey, log: opts.log, signal: abort.signal });
    const rows = Object.values(demo.sent).reduce((a, b) => a + b, 0);
    opts.log(demo.days
      ? `demo: ${rows.toLocaleString('en-US')} rows pushed in ${(demo.ms / 1000).toFixed(1)} s`
      : `demo: history already reaches yesterday, nothing pushed (${(demo.ms / 1000).toFixed(1)} s)`);
    return [
      `  Demo loop    ${demo.loopId}   (replenishment, dry-run, cron ${DEMO_CRON} UTC; OPSLOOP_DEMO=0 turns the demo off)`,
      `  Run it now:  curl -X POST -H "Authorization: Bearer ${opts.adminKey}" -H 'Content-Type: application/json' -d '{}' `
        + `${opts.api.shown}/api/v1/loops/${demo.loopId}/runs`,
    ];
  } catch (err) {
    if (abort.signal.aborted) return [];
    opts.log(`demo: not set up: ${err instanceof Error ? err.message : String(err)}`);
    return [];
  }
}
