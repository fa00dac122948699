import fc from 'fast-check';
import {
  ApprovalProof, checkStoredApprovals, DecisionApprovalRow, proofShapeProblem, Role, selectForBulk, SlotView, slotOfRow, StoredApprovals,
} from '@opsloop/domain';

const RUN = '00000000-0000-4000-8000-0000000000aa';
const OTHER_RUN = '00000000-0000-4000-8000-0000000000bb';
const D1 = '00000000-0000-4000-8000-000000000001';
const D2 = '00000000-0000-4000-8000-000000000002';
const APPROVAL = '00000000-0000-4000-8000-0000000000c1';
const BATCH = '00000000-0000-4000-8000-0000000000d1';

const stored = (change: Partial<StoredApprovals> = {}): StoredApprovals => ({
  runId: RUN, verdict: 'approve', actor: { keyId: 'k1', name: 'ops', role: 'operator' }, decisionIds: [D1], ...change,
});
const slots = (...views: Partial<SlotView>[]) => {
  const map = new Map(views.map((v, i) => [v.decisionId ?? [D1, D2][i]!, { decisionId: [D1, D2][i]!, status: 'pending', requiredRole: 'operator', busy: false, ...v } as SlotView]));
  return (id: string) => map.get(id);
};
const single: ApprovalProof = { approvalId: APPROVAL, decisionId: D1 };

describe('the proof an approval update may carry', () => {
  it('accepts exactly an approval id with its decision id, or a batch id', () => {
    expect(proofShapeProblem({ approvalId: APPROVAL, decisionId: D1 })).toBeNull();
    expect(proofShapeProblem({ batchId: BATCH })).toBeNull();
  });

  it('refuses the old payload that carried the verdict and the actor role itself', () => {
    const forged = { decisionId: D1, verdict: 'approve', reason: 'trust me', actor: { keyId: 'x', name: 'root', role: 'admin' } };
    expect(proofShapeProblem(forged)).toMatch(/only the id of an approval stored through the API/);
  });

  it('refuses a proof with any extra field, such as a role beside a real approval id', () => {
    expect(proofShapeProblem({ approvalId: APPROVAL, decisionId: D1, role: 'admin' })).toMatch(/only the id/);
    expect(proofShapeProblem({ batchId: BATCH, verdict: 'approve' })).toMatch(/only the id/);
  });

  it('refuses ids that are not UUIDs and values that are not objects', () => {
    expect(proofShapeProblem({ batchId: 'all' })).toMatch(/must be UUIDs/);
    expect(proofShapeProblem({ approvalId: 7, decisionId: D1 })).toMatch(/must be UUIDs/);
    for (const value of [null, undefined, 'x', 3, [BATCH]]) expect(proofShapeProblem(value)).toMatch(/approval id or a batch id/);
  });

  it('refuses every object that is not exactly one of the two shapes (property)', () => {
    fc.assert(fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (value) => {
      const keys = Object.keys(value).sort().join(',');
      fc.pre(keys !== 'batchId' && keys !== 'approvalId,decisionId');
      expect(proofShapeProblem(value)).not.toBeNull();
    }));
  });
});

describe('checking a stored approval against the run', () => {
  it('accepts an operator approval stored for this run and this waiting decision', () => {
    expect(checkStoredApprovals(single, stored(), RUN, slots({}))).toEqual({ accepted: [D1], refused: [] });
  });

  it('refuses an approval id the API never stored', () => {
    expect(checkStoredApprovals(single, null, RUN, slots({}))).toBe(`No approval ${APPROVAL} was given through the API`);
  });

  it('refuses an approval of another run, and one stored for another decision', () => {
    expect(checkStoredApprovals(single, stored({ runId: OTHER_RUN }), RUN, slots({}))).toMatch(/belongs to another run/);
    expect(checkStoredApprovals(single, stored({ decisionIds: [D2] }), RUN, slots({}, {}))).toMatch(/answers another decision, not/);
  });

  it('checks the stored role, not any claimed one: an operator approval cannot settle an escalated decision', () => {
    const check = checkStoredApprovals(single, stored(), RUN, slots({ status: 'escalated', requiredRole: 'admin' }));
    expect(check).toEqual({ accepted: [], refused: [{ decisionId: D1, why: expect.stringMatching(/needs the admin role \(it was escalated\); this key has operator/) }] });
  });

  it("honours a loop's admin-only approver role", () => {
    const adminOnly = slots({ requiredRole: 'admin' });
    expect(checkStoredApprovals(single, stored(), RUN, adminOnly)).toMatchObject({ accepted: [] });
    expect(checkStoredApprovals(single, stored({ actor: { keyId: 'k2', name: 'boss', role: 'admin' } }), RUN, adminOnly)).toMatchObject({ accepted: [D1] });
  });

  it('refuses a decision already decided (a replayed approval) and one being decided right now', () => {
    expect(checkStoredApprovals(single, stored(), RUN, slots({ status: 'approved', decidedBy: 'ops' }))).toMatchObject({ refused: [{ why: expect.stringMatching(/already approved by ops/) }] });
    expect(checkStoredApprovals(single, stored(), RUN, slots({ busy: true }))).toMatchObject({ refused: [{ why: expect.stringMatching(/being decided by someone else/) }] });
  });

  it('applies a batch to the decisions that still wait and names the others', () => {
    const batch = stored({ decisionIds: [D1, D2] });
    const check = checkStoredApprovals({ batchId: BATCH }, batch, RUN, slots({}, { status: 'timed-out' }));
    expect(check).toEqual({ accepted: [D1], refused: [{ decisionId: D2, why: expect.stringMatching(/approval window closed/) }] });
  });
});

describe('choosing the decisions of a bulk verdict', () => {
  const row = (id: string, change: Partial<DecisionApprovalRow> = {}) => ({ id, subject: `sku-${id.slice(-1)}`, approvalStatus: 'pending' as const, approvalBy: null, approvalAt: null, ...change });

  it('decides every waiting decision the key may answer and skips the rest with why', () => {
    const rows = [row(D1), row(D2, { approvalStatus: 'approved', approvalBy: 'ann' })];
    const { decide, skips } = selectForBulk(rows, undefined, 'operator', 'operator');
    expect(decide.map((d) => d.id)).toEqual([D1]);
    expect(skips).toEqual([{ decisionId: D2, subject: 'sku-2', reason: expect.stringMatching(/already approved by ann/) }]);
  });

  it('skips escalated decisions for an operator and decides them for an admin', () => {
    const rows = [row(D1, { approvalStatus: 'escalated' })];
    expect(selectForBulk(rows, undefined, 'operator', 'operator').skips[0]!.reason).toMatch(/needs the admin role/);
    expect(selectForBulk(rows, undefined, 'admin', 'operator').decide).toHaveLength(1);
  });

  it('accounts for every id the filter named, even one that is not in the run or never needed a person', () => {
    const missing = '00000000-0000-4000-8000-0000000000ff';
    const { skips } = selectForBulk([row(D1, { approvalStatus: 'not-required' })], [D1, missing], 'admin', 'operator');
    expect(skips).toEqual([
      { decisionId: D1, subject: 'sku-1', reason: `Decision ${D1} did not need approval` },
      { decisionId: missing, subject: null, reason: expect.stringMatching(/not a decision of this run/) },
    ]);
  });

  it('never decides a decision the same key could not decide one by one (property)', () => {
    const statuses = ['pending', 'escalated', 'approved', 'rejected', 'timed-out', 'not-required'] as const;
    const roles: Role[] = ['viewer', 'operator', 'admin'];
    fc.assert(fc.property(fc.array(fc.constantFrom(...statuses), { maxLength: 20 }), fc.constantFrom(...roles), fc.constantFrom<'operator' | 'admin'>('operator', 'admin'), (sts, role, base) => {
      const rows = sts.map((s, i) => row(`00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, { approvalStatus: s }));
      const { decide, skips } = selectForBulk(rows, undefined, role, base);
      expect(decide.length + skips.length).toBe(rows.length);
      for (const d of decide) {
        const slot = slotOfRow(d, base)!;
        expect(['pending', 'escalated']).toContain(slot.status);
        expect(role === 'admin' || (slot.requiredRole === 'operator' && role === 'operator')).toBe(true);
      }
    }));
  });
});
