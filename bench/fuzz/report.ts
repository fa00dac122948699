/**
 * Reads one schemathesis NDJSON event stream into the figures the bench records: test cases,
 * responses by status class, 5xx answers, and failures per check (every failing case, and the
 * distinct ones: same check, operation and message).
 *
 * Two kinds of "valid data rejected" are listed apart, each with its reason, and not counted:
 * - a refusal the document states in prose: a 400 whose every field error is about a NUL
 *   (U+0000) or a lone surrogate, which OpenAPI 3.0 cannot attach to object keys;
 * - schemathesis's own: a stateful step that fills a path parameter from a nullable response
 *   field (a ledger entry's decisionId) sends Python's spelling of null, "None", as the id.
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
  /** Failing cases explained above (see the header), with why, kept out of the counts. */
  explained: (CheckFailure & { why: string })[];
  /** Cases schemathesis could not run (network errors, timeouts). */
  errors: number;
  seconds: number;
}

interface Interaction {
  request?: { uri?: string };
  response?: { status_code: number; content?: { $base64?: string } } | null;
}

interface Recorder {
  cases?: Record<string, unknown>;
  checks?: Record<string, { name: string; status: string; failure_info?: { failure?: { operation?: string; title?: string; message?: string } } }[]>;
  interactions?: Record<string, Interaction>;
}

export async function summarise(label: string, ndjsonPath: string): Promise<FuzzSummary> {
  const s: FuzzSummary = { label, cases: 0, responses: {}, serverErrors: 0, failedCases: {}, distinctFailures: {}, failures: [], explained: [], errors: 0, seconds: 0 };
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
  for (const [caseId, checks] of Object.entries(r.checks ?? {})) {
    for (const c of checks) {
      if (c.status !== 'failure') continue;
      const f = c.failure_info?.failure ?? {};
      const failure = { check: c.name, operation: f.operation ?? '?', title: f.title ?? '', message: (f.message ?? '').split('\n')[0]! };
      const why = c.name === 'positive_data_acceptance' ? explanation(r.interactions?.[caseId]) : null;
      if (why) {
        s.explained.push({ ...failure, why });
        continue;
      }
      s.failedCases[c.name] = (s.failedCases[c.name] ?? 0) + 1;
      const key = `${failure.check} ${failure.operation} ${failure.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      s.distinctFailures[c.name] = (s.distinctFailures[c.name] ?? 0) + 1;
      s.failures.push(failure);
    }
  }
}

const ODD_TEXT = /NUL character|lone UTF-16 surrogate/;

/** Why a rejected schema-valid case is not the API's fault, or null when it is a failure. */
function explanation(interaction: Interaction | undefined): string | null {
  const uri = interaction?.request?.uri;
  if (uri && new URL(uri).pathname.split('/').includes('None')) return `schemathesis sent a null link value as "None": ${uri}`;
  const raw = interaction?.response?.content?.$base64;
  if (interaction?.response?.status_code !== 400 || !raw) return null;
  try {
    const body = JSON.parse(Buffer.from(raw, 'base64').toString('utf8')) as { errors?: { field: string; messages: string[] }[] };
    const errors = body.errors ?? [];
    if (errors.length > 0 && errors.every((e) => e.messages.every((m) => ODD_TEXT.test(m)))) return `NUL or lone surrogate refused: ${errors.map((e) => e.field).join(', ')}`;
  } catch {
    return null;
  }
  return null;
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
    ['explained rejections', ...summaries.map((s) => String(s.explained.length))],
    ['seconds', ...summaries.map((s) => s.seconds.toFixed(0))],
    ...checks.map((c): [string, ...string[]] => [`failed: ${c}`, ...summaries.map((s) => `${s.failedCases[c] ?? 0} cases, ${s.distinctFailures[c] ?? 0} distinct`)]),
  ];
  if (checks.length === 0) rows.push(['failed checks', ...summaries.map(() => 'none')]);
  const header = ['', ...summaries.map((s) => s.label)];
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((r) => (r[i] ?? '').length)));
  return [header, ...rows].map((r) => r.map((cell, i) => pad(cell ?? '', widths[i]!)).join('  ').trimEnd()).join('\n');
}
