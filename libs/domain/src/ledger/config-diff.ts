/**
 * The before/after diff of a config change, as the ledger keeps it: one row per changed path,
 * values redacted first. The ledger is append-only and kept for years, so a secret written into
 * it could never be taken out again: redaction happens here, before anything is hashed.
 */
import { canonicalJson } from './canonical-json';

export const REDACTED = '[redacted]';

/** One changed path. `before` is left out for a path that did not exist, `after` for one that is gone. */
export interface ConfigChange {
  path: string;
  before?: unknown;
  after?: unknown;
}

/**
 * How the value under a path is shown. A redacted path is compared whole, on its raw values, so
 * a change hidden by the redaction (a new token deep in a URL) still shows as a change.
 */
export type Redactions = Record<string, (value: unknown) => unknown>;

/**
 * Changed paths between two plain-JSON snapshots, in path order. Objects are walked; arrays,
 * scalars and empty objects are compared whole. `undefined` means "absent".
 */
export function configChanges(before: unknown, after: unknown, redactions: Redactions = {}): ConfigChange[] {
  const changes: ConfigChange[] = [];
  walk(before, after, '', redactions, changes);
  return changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function walk(before: unknown, after: unknown, path: string, redactions: Redactions, out: ConfigChange[]): void {
  const redact = redactions[path];
  if (!redact && (isWalkable(before) || isWalkable(after))) {
    const b = isObject(before) ? before : {};
    const a = isObject(after) ? after : {};
    // An object replacing a scalar (or the reverse) is also a change of the scalar itself.
    if (!isObject(before) && before !== undefined) out.push(change(path, before, undefined, redact));
    if (!isObject(after) && after !== undefined) out.push(change(path, undefined, after, redact));
    for (const key of new Set([...Object.keys(b), ...Object.keys(a)])) {
      walk(b[key], a[key], path === '' ? key : `${path}.${key}`, redactions, out);
    }
    return;
  }
  if (same(before, after)) return;
  out.push(change(path, before, after, redact));
}

function change(path: string, before: unknown, after: unknown, redact: ((v: unknown) => unknown) | undefined): ConfigChange {
  const show = (v: unknown) => (v === undefined ? undefined : scrubCredentials(redact ? redact(v) : v));
  const c: ConfigChange = { path: path === '' ? '$' : path };
  if (before !== undefined) c.before = show(before);
  if (after !== undefined) c.after = show(after);
  return c;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Empty objects are compared whole, or `{}` appearing in place of nothing would leave no trace. */
function isWalkable(v: unknown): v is Record<string, unknown> {
  return isObject(v) && Object.keys(v).length > 0;
}

function same(a: unknown, b: unknown): boolean {
  if (a === undefined || b === undefined) return a === b;
  return canonicalJson(a) === canonicalJson(b);
}

// scheme://user:password@host: the password goes, the rest stays readable.
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*):[^\s/@]*@/gi;

/** Hides passwords written into URLs anywhere in a value (a connection string pasted into a field). */
export function scrubCredentials(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(URL_PASSWORD, `$1:${REDACTED}@`);
  if (Array.isArray(value)) return value.map(scrubCredentials);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubCredentials(v)]));
  }
  return value;
}

/**
 * A URL as the ledger may show it: origin and first path segment only. Tokens hide in query
 * strings, fragments, user info and deeper path segments (Slack-style /services/T…/B…/secret).
 * The same rule the engine uses for the targets in decision and action entries.
 */
export function describeUrl(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return REDACTED;
  }
  const [first, ...rest] = url.pathname.split('/').filter((s) => s.length > 0);
  return `${url.origin}${first ? `/${first}` : ''}${rest.length > 0 ? '/…' : ''}`;
}
