// The approval sentence of an explanation and the approval status come from one rule, so they never disagree.
import fc from 'fast-check';
import { approvalNote, ApprovalRule, composeExplanation, initialApprovalStatus, LOOP_MODES, LoopMode } from '@opsloop/domain';

const above = (threshold: number): ApprovalRule => ({ when: 'above', threshold, timeoutSeconds: 600, onTimeout: 'reject' });
const money = { label: 'value', money: true };

describe('approval wording of a decision', () => {
  it('says a live decision over the threshold needs approval, and marks it pending', () => {
    const basis = { mode: 'live' as const, rule: above(250), hasAction: true, magnitude: 490 };
    expect(approvalNote(basis, money)).toBe('Needs approval: value 490.00 is above the threshold 250.00.');
    expect(initialApprovalStatus(basis)).toBe('pending');
  });

  it.each<LoopMode>(['dry-run', 'shadow'])('says a %s decision over the threshold would need approval, and asks nobody', (mode) => {
    const basis = { mode, rule: above(250), hasAction: true, magnitude: 490 };
    expect(approvalNote(basis, money)).toBe(`Would need approval: value 490.00 is above the threshold 250.00; in ${mode} mode nobody was asked and nothing was sent.`);
    expect(approvalNote(basis, money)).not.toMatch(/Needs approval/);
    expect(initialApprovalStatus(basis)).toBe('not-required');
  });

  it('says a dry-run decision under the threshold was recorded only, and a live one says nothing', () => {
    expect(approvalNote({ mode: 'dry-run', rule: above(250), hasAction: true, magnitude: 90 })).toBe('In dry-run mode this was recorded only: nothing was sent.');
    expect(approvalNote({ mode: 'live', rule: above(250), hasAction: true, magnitude: 90 })).toBe('');
    expect(approvalNote({ mode: 'live', rule: above(250), hasAction: false, magnitude: 900 })).toBe('');
  });

  it('words an "always" rule without a threshold, and a quantity magnitude without cents', () => {
    const always: ApprovalRule = { when: 'always', timeoutSeconds: 60, onTimeout: 'escalate' };
    expect(approvalNote({ mode: 'live', rule: always, hasAction: true, magnitude: 0 })).toBe('Needs approval: this loop asks a person about every decision.');
    expect(approvalNote({ mode: 'live', rule: above(10), hasAction: true, magnitude: 104.69999999999999 }, { label: 'distance past the bound' }))
      .toBe('Needs approval: distance past the bound 104.7 is above the threshold 10.');
  });

  it('never lets rounding make "above" read as equal', () => {
    expect(approvalNote({ mode: 'live', rule: above(250), hasAction: true, magnitude: 250.001 }, money))
      .toBe('Needs approval: value 250.001 is above the threshold 250.');
  });

  it('says "needs approval" exactly when the status is pending, and "would need" only where nothing acts', () => {
    const rule = fc.oneof(
      fc.constant<ApprovalRule>({ when: 'never' }),
      fc.constant<ApprovalRule>({ when: 'always', timeoutSeconds: 60, onTimeout: 'reject' }),
      fc.double({ min: 0, max: 1e6, noNaN: true }).map(above),
    );
    fc.assert(fc.property(fc.constantFrom(...LOOP_MODES), rule, fc.boolean(), fc.double({ min: 0, max: 2e6, noNaN: true }), (mode, r, hasAction, magnitude) => {
      const basis = { mode, rule: r, hasAction, magnitude };
      const note = approvalNote(basis, money);
      expect(note.startsWith('Needs approval')).toBe(initialApprovalStatus(basis) === 'pending');
      if (note.startsWith('Would need approval')) expect(mode).not.toBe('live');
    }));
  });

  it('puts the business reason first, then the approval sentence, then the figures', () => {
    expect(composeExplanation('Order 42 units (205.80) because …', 'Needs approval: …', 'Forecast: …')).toBe('Order 42 units (205.80) because … Needs approval: … Forecast: …');
    expect(composeExplanation('Notify: cpu reads 95.', '', undefined)).toBe('Notify: cpu reads 95.');
  });
});
