import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { canonicalJson, ChainLink, GENESIS_HASH, nextLink, verifyChain } from '@opsloop/domain';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

function chainOf(bodies: unknown[]): ChainLink[] {
  const links: ChainLink[] = [];
  for (const body of bodies) links.push(nextLink(links.at(-1) ?? null, body, sha256));
  return links;
}

const decisions = [
  { decision: 'order', sku: 'A-1', qty: 40, explanation: { safetyStock: 12.5 } },
  { decision: 'skip', sku: 'B-2', reason: 'not ordered: missing lead time' },
  { decision: 'order', sku: 'C-3', qty: 8, approvedBy: 'planner' },
];

describe('canonical JSON', () => {
  it('does not depend on the order keys were written in', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 2], c: 'x' } })).toBe(canonicalJson({ a: { c: 'x', d: [1, 2] }, b: 1 }));
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
  });

  it('drops undefined members and writes dates as ISO strings', () => {
    expect(canonicalJson({ a: undefined, at: new Date('2026-01-02T03:04:05Z') })).toBe('{"at":"2026-01-02T03:04:05.000Z"}');
  });

  it('refuses NaN and Infinity, naming where they are', () => {
    expect(() => canonicalJson({ inputs: { forecast: [1, NaN] } })).toThrow('$.inputs.forecast[1]');
    expect(() => canonicalJson({ x: Infinity })).toThrow('$.x');
  });

  it('round-trips through JSON.parse to the same value', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => {
      expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
    }));
  });
});

describe('hash chain', () => {
  it('verifies an intact chain and reports its last hash', () => {
    const links = chainOf(decisions);
    expect(links[0].prevHash).toBe(GENESIS_HASH);
    expect(verifyChain(links, sha256)).toEqual({ ok: true, checked: 3, lastHash: links[2].hash });
  });

  it('names the edited row when a body is changed after the fact', () => {
    const links = chainOf(decisions);
    links[1] = { ...links[1], body: { ...(links[1].body as object), reason: 'edited' } };
    expect(verifyChain(links, sha256)).toMatchObject({ ok: false, brokenAtSeq: 2, reason: 'hash-mismatch', checked: 1 });
  });

  it('names the row after a deleted one', () => {
    const links = chainOf(decisions);
    links.splice(1, 1);
    expect(verifyChain(links, sha256)).toMatchObject({ ok: false, brokenAtSeq: 3, reason: 'sequence-gap' });
  });

  it('catches a row whose hash was recomputed to hide an edit', () => {
    const links = chainOf(decisions);
    const forged = nextLink({ seq: 1, hash: links[0].hash }, { decision: 'order', sku: 'B-2', qty: 999 }, sha256);
    links[1] = forged;
    expect(verifyChain(links, sha256)).toMatchObject({ ok: false, brokenAtSeq: 3, reason: 'prev-hash-mismatch' });
  });

  it('detects any single edited row in any chain', () => {
    fc.assert(fc.property(fc.array(fc.jsonValue(), { minLength: 1, maxLength: 20 }), fc.nat(), (bodies, pick) => {
      const links = chainOf(bodies);
      const i = pick % links.length;
      links[i] = { ...links[i], body: { tampered: links[i].body } };
      expect(verifyChain(links, sha256)).toMatchObject({ ok: false, brokenAtSeq: i + 1 });
    }));
  });
});
