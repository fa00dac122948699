import { dotGet, itemsOf, Pager, rowOfItem, SourcePullError } from '@opsloop/connectors';
import type { SourceSchema } from '@opsloop/domain';

const BASE = 'https://api.example.com/v1/readings?site=eu';

/** Feeds the pager page by page and returns the URLs it asked for. */
function walk(pager: Pager, pages: { body: unknown; items: number }[]): string[] {
  const urls: string[] = [];
  let url: string | null = pager.first();
  for (const page of pages) {
    if (url === null) break;
    urls.push(url);
    url = pager.next(url, page.body, page.items);
  }
  if (url !== null) throw new Error(`pager still wants ${url}`);
  return urls;
}

describe('http source pagination', () => {
  it('without pagination reads the one URL', () => {
    expect(walk(new Pager(BASE, undefined), [{ body: { next: 'x' }, items: 3 }])).toEqual([BASE]);
  });

  it('follows next-url links, relative ones resolved against the current page, until none is given', () => {
    const pager = new Pager(BASE, { type: 'next-url', nextPath: 'links.next' });
    const urls = walk(pager, [
      { body: { links: { next: '/v1/readings?site=eu&page=2' } }, items: 2 },
      { body: { links: { next: 'https://api.example.com/v1/readings?site=eu&page=3' } }, items: 2 },
      { body: { links: { next: null } }, items: 1 },
    ]);
    expect(urls).toEqual([BASE, 'https://api.example.com/v1/readings?site=eu&page=2', 'https://api.example.com/v1/readings?site=eu&page=3']);
  });

  it('counts page numbers from start and stops at the first empty page', () => {
    const pager = new Pager(BASE, { type: 'page', param: 'p', start: 0, maxPages: 10 });
    expect(walk(pager, [{ body: [], items: 5 }, { body: [], items: 5 }, { body: [], items: 0 }])).toEqual([
      `${BASE}&p=0`, `${BASE}&p=1`, `${BASE}&p=2`,
    ]);
  });

  it('passes the cursor of each reply as the query parameter of the next request', () => {
    const pager = new Pager(BASE, { type: 'cursor', cursorPath: 'meta.after', param: 'after', maxPages: 5 });
    expect(walk(pager, [{ body: { meta: { after: 'c1' } }, items: 2 }, { body: { meta: { after: 'c 2' } }, items: 2 }, { body: { meta: {} }, items: 1 }]))
      .toEqual([BASE, `${BASE}&after=c1`, `${BASE}&after=c+2`]);
  });

  it('fails instead of cutting data off when a cursor source has more pages than maxPages', () => {
    const pager = new Pager(BASE, { type: 'cursor', cursorPath: 'next', param: 'after', maxPages: 2 });
    pager.next(pager.first(), { next: 'a' }, 1);
    expect(() => pager.next(`${BASE}&after=a`, { next: 'b' }, 1)).toThrow('pagination exceeded maxPages 2');
  });

  it('asks for one page past maxPages of page numbers and fails only if it has items', () => {
    const exact = new Pager(BASE, { type: 'page', param: 'page', maxPages: 2 });
    expect(walk(exact, [{ body: [], items: 3 }, { body: [], items: 3 }, { body: [], items: 0 }])).toEqual([`${BASE}&page=1`, `${BASE}&page=2`, `${BASE}&page=3`]);
    const more = new Pager(BASE, { type: 'page', param: 'page', maxPages: 2 });
    more.next(more.first(), [], 3);
    more.next(`${BASE}&page=2`, [], 3);
    expect(() => more.next(`${BASE}&page=3`, [], 1)).toThrow(SourcePullError);
  });

  it('refuses a next link that loops back to a page already read', () => {
    const pager = new Pager(BASE, { type: 'next-url', nextPath: 'next' });
    const second = pager.next(BASE, { next: '?site=eu&page=2' }, 1)!;
    expect(() => pager.next(second, { next: BASE }, 1)).toThrow('pagination loops');
  });

  it('names the path when the reply holds something other than a link or cursor there', () => {
    const pager = new Pager(BASE, { type: 'next-url', nextPath: 'links.next' });
    expect(() => pager.next(BASE, { links: { next: { href: 'x' } } }, 1)).toThrow('has a object at "links.next", expected a URL');
  });
});

describe('http source items and field mapping', () => {
  const schema: SourceSchema = {
    fields: [
      { name: 'series', type: 'string', required: true },
      { name: 'ts', type: 'timestamp', required: true },
      { name: 'value', type: 'number', required: false },
    ],
    uniqueKey: [], timeField: 'ts', seriesKey: ['series'], valueField: 'value', dimensions: [],
  };

  it('reads dotted paths, including array indexes, and only own properties', () => {
    expect(dotGet({ a: { b: [10, 20] } }, 'a.b.1')).toBe(20);
    expect(dotGet({ a: 1 }, 'a.b')).toBeUndefined();
    expect(dotGet({}, 'constructor')).toBeUndefined();
  });

  it('finds the items at itemsPath, or names where it looked', () => {
    expect(itemsOf({ data: { items: [1, 2] } }, 'data.items', 1)).toEqual([1, 2]);
    expect(itemsOf([3], undefined, 1)).toEqual([3]);
    expect(() => itemsOf({ data: {} }, 'data.items', 4)).toThrow('reply of page 4 has no array of items at "data.items"');
  });

  it('maps each schema field from its dotted path, reads the others by name and leaves extra keys out', () => {
    const item = { name: 'cpu.eu', at: { iso: '2024-05-01T10:00:00Z' }, value: 97, internalId: 42 };
    expect(rowOfItem(item, schema, { series: 'name', ts: 'at.iso' }, 'item 1')).toEqual({ series: 'cpu.eu', ts: '2024-05-01T10:00:00Z', value: 97 });
    expect(rowOfItem({ series: 's', ts: 't' }, schema, undefined, 'item 1')).toEqual({ series: 's', ts: 't' });
  });

  it('refuses an item that is not an object, naming where it is', () => {
    expect(() => rowOfItem([1, 2], schema, undefined, 'item 3 of page 2')).toThrow('item 3 of page 2 is not a JSON object');
  });
});
