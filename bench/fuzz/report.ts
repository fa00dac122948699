/**
 * Reads one schemathesis NDJSON event stream into the figures the bench records: test cases,
 * responses by status class, 5xx answers, and failures per check (every failing case, and the
 * distinct ones: same check, operation and message).
 */
import fs from 'node:fs';
import readline from 'node:readline';

export interface CheckFailure {
  check: string;
  operation: string;
  title: string;
  message: string;
}

export interface FuzzSummary {
  label: string;
  cases: number;
  responses: Record<string, number>;
  serverErrors: number;
  /** check name → failing cases */
  failedCases: Record<string, number>;
  /** check name → distinct failures */
  distinctFailures: Record<string, number>;
  /** The distinct failures themselves, for the console and RESULTS.md. */
  failures: CheckFailure[];
  /** Cases schemathesis could not run (network errors, timeouts). */
  errors: number;
  seconds: number;
}

interface Recorder {
  cases?: Record<string, unknown>;
  checks?: Record<string, { name: string; status: string; failure_info?: { failure?: { operation?: string; title?: string; message?: string } } }[]>;
  interactions?: Record<string, { response?: { status_code: number } | null }>;
}

export async function summarise(label: string, ndjsonPath: string): Promise<FuzzSummary> {
  const s: FuzzSummary = { label, cases: 0, responses: {}, serverErrors: 0, failedCases: {}, distinctFailures: {}, failures: [], errors: 0, seconds: 0 };
  const seen = new Set<string>();
  const lines = readline.createInterface({ input: fs.createReadStream(ndjsonPath), crlfDelay: Infinity });
  for await (const line of lines) {
    const event = JSON.parse(line) as Record<string, { recorder?: Recorder; running_time?: number }>;
    if (event.NonFatalError) s.errors += 1;
    if (event.EngineFinished?.running_time !== undefined) s.seconds = event.EngineFinished.running_time;
    const recorder = event.ScenarioFinished?.recorder;
    if (recorder) addScenario(s, recorder, seen);
  }
  return s;
}

function addScenario(s: FuzzSummary, r: Recorder, seen: Set<string>): void {
  for (const interaction of Object.values(r.interactions ?? {})) {
    s.cases += 1;
    const status = interaction.response?.status_code;
    if (status === undefined) continue;
    const group = `${Math.floor(status / 100)}xx`;
    s.responses[group] = (s.responses[group] ?? 0) + 1;
    if (status >= 500) s.serverErrors += 1;
  }
  for (const checks of Object.values(r.checks ?? {})) {
    for (const c of checks) {
      if (c.status !== 'failure') continue;
      s.failedCases[c.name] = (s.failedCases[c.name] ?? 0) + 1;
      const f = c.failure_info?.failure ?? {};
      const failure = { check: c.name, operation: f.operation ?? '?', title: f.title ?? '', message: (f.message ?? '').split('\n')[0]! };
      const key = `${failure.check} ${failure.operation} ${failure.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      s.distinctFailures[c.name] = (s.distinctFailures[c.name] ?? 0) + 1;
      s.failures.push(failure);
    }
  }
}

const pad = (text: string, width: number) => text.padEnd(width);

/** The console table: one column per key. */
export function table(summaries: FuzzSummary[]): string {
  const checks = [...new Set(summaries.flatMap((s) => Object.keys(s.failedCases)))].sort();
  const rows: [string, ...string[]][] = [
    ['cases (requests)', ...summaries.map((s) => String(s.cases))],
    ['responses', ...summaries.map((s) => Object.entries(s.responses).sort().map(([k, v]) => `${k} ${v}`).join(', '))],
    ['5xx answers', ...summaries.map((s) => String(s.serverErrors))],
    ['errored cases', ...summaries.map((s) => String(s.errors))],
    ['seconds', ...summaries.map((s) => s.seconds.toFixed(0))],
    ...checks.map((c): [string, ...string[]] => [`failed: ${c}`, ...summaries.map((s) => `${s.failedCases[c] ?? 0} cases, ${s.distinctFailures[c] ?? 0} distinct`)]),
  ];
  if (checks.length === 0) rows.push(['failed checks', ...summaries.map(() => 'none')]);
  const header = ['', ...summaries.map((s) => s.label)];
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((r) => (r[i] ?? '').length)));
  return [header, ...rows].map((r) => r.map((cell, i) => pad(cell ?? '', widths[i]!)).join('  ').trimEnd()).join('\n');
}
