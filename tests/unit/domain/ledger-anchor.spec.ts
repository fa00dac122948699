import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { anchorSignatureValid, checkAnchor, signAnchor, withAnchorCheck } from '@opsloop/domain';

const mac = (key: string) => (text: string) => createHmac('sha256', key).update(text).digest('hex');
const hash = (c: string) => c.repeat(64);

describe('ledger anchors', () => {
  const anchor = signAnchor('7715/opsloop', { seq: 10, hash: hash('a') }, new Date('2026-12-01T02:00:00Z'), mac('k'));

  it('accepts the chain that still has the anchored hash at the anchored seq', () => {
    expect(checkAnchor(anchor, hash('a'), 12, mac('k'))).toEqual({ ok: true, message: 'matches anchor seq 10 of 2026-12-01T02:00:00.000Z' });
  });

  it('names a cut tail with the entries that are gone', () => {
    expect(checkAnchor(anchor, null, 7, mac('k'))).toMatchObject({ ok: false, reason: 'tail-cut', message: expect.stringContaining('entries 8..10 were cut from the end') });
  });

  it('names a rewritten chain', () => {
    expect(checkAnchor(anchor, hash('b'), 10, mac('k'))).toMatchObject({ ok: false, reason: 'chain-rewritten' });
  });

  it('refuses any change to a signed field, and any other key', () => {
    fc.assert(fc.property(fc.constantFrom('ledger', 'seq', 'hash', 'at'), fc.string({ minLength: 1 }), (field, noise) => {
      const changed = { ...anchor, [field]: field === 'seq' ? anchor.seq + noise.length : `${String(anchor[field as keyof typeof anchor])}${noise}` };
      expect(anchorSignatureValid(changed, mac('k'))).toBe(false);
    }));
    expect(anchorSignatureValid(anchor, mac('other'))).toBe(false);
    expect(checkAnchor(anchor, hash('a'), 10, mac('other'))).toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  it('turns an intact chain into a broken verdict when the anchor disagrees, and keeps an earlier break', () => {
    const intact = { ok: true as const, checked: 7, lastHash: hash('c'), message: 'ledger ok: 7 entries' };
    const cut = withAnchorCheck(intact, anchor, checkAnchor(anchor, null, 7, mac('k')));
    expect(cut).toMatchObject({ ok: false, reason: 'anchor-mismatch', brokenAt: { seq: 10 } });
    expect(cut.message).toMatch(/^ledger BROKEN at seq 10: anchor-mismatch — anchor seq 10 of /);
    const broken = { ok: false as const, checked: 1, reason: 'hash-mismatch' as const, brokenAt: { seq: 2, entryKey: 'k', type: 'decision', decisionId: null, runId: null }, message: 'ledger BROKEN at seq 2' };
    expect(withAnchorCheck(broken, anchor, checkAnchor(anchor, null, 1, mac('k')))).toBe(broken);
    expect(withAnchorCheck(intact, null, null).message).toBe('ledger ok: 7 entries; no anchor written yet');
  });
});
