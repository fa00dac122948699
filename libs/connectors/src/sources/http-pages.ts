/**
 * The pure half of the http source: which URL to ask for next (next-url, page number or cursor
 * pagination), where the items sit in a reply, and how an item becomes a row of schema fields.
 * No I/O, so the rules are unit-tested without a server.
 */
import type { SourceSchema } from '@opsloop/domain';
import { SourcePullError } from './pull-source';
import type { HttpPagination } from './source-config';

export const DEFAULT_NEXT_URL_MAX_PAGES = 100;

/** `dotGet({a: {b: [1, 2]}}, 'a.b.1')` → 2; undefined when any step is missing. */
export function dotGet(node: unknown, path: string): unknown {
  let at: unknown = node;
  for (const key of path.split('.')) {
    if (at === null || typeof at !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(at, key)) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

/** The array of items in one reply; the reply itself when no itemsPath is configured. */
export function itemsOf(body: unknown, itemsPath: string | undefined, page: number): unknown[] {
  const items = itemsPath ? dotGet(body, itemsPath) : body;
  if (Array.isArray(items)) return items;
  const where = itemsPath ? `at "${itemsPath}"` : 'at the top level (set config.itemsPath)';
  throw new SourcePullError(`reply of page ${page} has no array of items ${where}`, false);
}

/**
 * One item as a row of the schema's fields only: a mapped field from its dotted path, any other
 * field by its own name. Extra keys in the item are left out on purpose: APIs add fields freely
 * and the schema says which ones this source stores.
 */
export function rowOfItem(item: unknown, schema: SourceSchema, fieldMap: Record<string, string> | undefined, where: string): Record<string, unknown> {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) {
    throw new SourcePullError(`${where} is not a JSON object`, false);
  }
  const values: Record<string, unknown> = {};
  for (const { name } of schema.fields) {
    const value = dotGet(item, fieldMap?.[name] ?? name);
    if (value !== undefined) values[name] = value;
  }
  return values;
}

/**
 * Walks the pages of one pull. `first()` gives the first URL; after each reply, `next()` gives
 * the following URL or null at the end. More pages than maxPages fail the pull instead of
 * returning a cut-off set as if it were complete; for page numbers, that is known only by
 * asking for one page past the cap, so that page is fetched and must come back empty.
 */
export class Pager {
  private fetched = 0;
  private readonly seen = new Set<string>();

  constructor(private readonly baseUrl: string, private readonly pagination: HttpPagination | undefined) {}

  first(): string {
    const p = this.pagination;
    return p?.type === 'page' ? withParam(this.baseUrl, p.param!, p.start ?? 1) : this.baseUrl;
  }

  next(currentUrl: string, body: unknown, itemCount: number): string | null {
    this.fetched += 1;
    this.seen.add(currentUrl);
    const p = this.pagination;
    if (!p) return null;
    const maxPages = p.maxPages ?? DEFAULT_NEXT_URL_MAX_PAGES;
    if (p.type === 'page') return this.nextPage(p, maxPages, itemCount);
    const pointer = p.type === 'next-url' ? p.nextPath! : p.cursorPath!;
    const value = dotGet(body, pointer);
    if (value === undefined || value === null || value === '') return null;
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw new SourcePullError(`reply of page ${this.fetched} has a ${typeof value} at "${pointer}", expected a ${p.type === 'next-url' ? 'URL' : 'cursor'}`, false);
    }
    if (this.fetched >= maxPages) throw tooManyPages(maxPages);
    const url = p.type === 'next-url' ? resolve(String(value), currentUrl) : withParam(this.baseUrl, p.param!, value);
    if (this.seen.has(url)) throw new SourcePullError(`pagination loops: page ${this.fetched} points back to a page already read`, false);
    return url;
  }

  private nextPage(p: HttpPagination, maxPages: number, itemCount: number): string | null {
    if (itemCount === 0) return null;
    // The probe page past the cap came back with items: there is more than maxPages.
    if (this.fetched > maxPages) throw tooManyPages(maxPages);
    return withParam(this.baseUrl, p.param!, (p.start ?? 1) + this.fetched);
  }
}

function tooManyPages(maxPages: number): SourcePullError {
  return new SourcePullError(`pagination exceeded maxPages ${maxPages}: the source has more pages; raise config.pagination.maxPages or narrow the request`, false);
}

function withParam(base: string, param: string, value: string | number): string {
  const url = new URL(base);
  url.searchParams.set(param, String(value));
  return url.toString();
}

function resolve(next: string, current: string): string {
  try {
    return new URL(next, current).toString();
  } catch {
    throw new SourcePullError(`reply names a next page "${next.slice(0, 200)}" that is not a URL`, false);
  }
}
