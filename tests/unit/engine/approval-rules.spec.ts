import fc from 'fast-check';
import {
  APPROVAL_REASON_MAX,
  ApprovalRequest,
  approvalProblem,
  approvalRequired,
  ApprovalRule,
  ApprovalSlot,
  LOOP_MODES,
  modeActs,
  Role,
} from '@opsloop/domain';

const DECISION = '00000000-0000-4000-8000-000000000001';

const slot = (change: Partial<ApprovalSlot> = {}): ApprovalSlot => ({ decisionId: DECISION, status: 'pending', requiredRole: 'operator', ...change });

const request = (role: Role = 'operator', change: Partial<ApprovalRequest> = {}): ApprovalRequest => ({
  decisionId: DECISION,
  verdict: 'approve',
  reason: 'load is real, page the on-call',
  actor: { keyId: 'key-1', name: 'ops-bot', role },
  ...change,
});

describe('approval request', () => {
  it('lets an operator approve or reject a pending decision with a reason', () => {
    expect(approvalProblem(slot(), request())).toBeNull();
    expect(approvalProblem(slot(), request('operator', { verdict: 'reject' }))).toBeNull();
    expect(approvalProblem(slot(), request('admin'))).toBeNull();
  });

  it('refuses a second verdict and says who already gave one, and when', () => {
    const decided = slot({ status: 'approved', decidedBy: 'alice', decidedAt: '2026-01-02T03:04:05.000Z' });
    expect(approvalProblem(decided, request('admin'))).toBe(`Decision ${DECISION} was already approved by alice at 2026-01-02T03:04:05.000Z`);
    expect(approvalProblem(slot({ status: 'rejected', decidedBy: 'bob' }), request())).toMatch(/already rejected by bob/);
  });

  it('still refuses a second verdict when the first approver is not known', () => {
    expect(approvalProblem(slot({ status: 'approved' }), request())).toMatch(/already approved by someone at an earlier time/);
  });

  it('refuses a verdict on a decision that never needed approval', () => {
    expect(approvalProblem(slot({ status: 'not-required' }), request())).toMatch(/was already not-required/);
  });

  it('refuses a verdict after the approval window closed, and says so', () => {
    const problem = approvalProblem(slot({ status: 'timed-out', decidedAt: '2026-01-03T00:00:00.000Z' }), request('admin'));
    expect(problem).toBe(`Decision ${DECISION} can no longer be approved or rejected: its approval window closed at 2026-01-03T00:00:00.000Z and the timeout outcome was applied`);
    expect(approvalProblem(slot({ status: 'timed-out' }), request())).toMatch(/approval window closed at the timeout/);
  });

  it('refuses a decision this run is not waiting on', () => {
    expect(approvalProblem(undefined, request())).toBe(`Decision ${DECISION} is not waiting for approval in this run`);
  });

  it('tells a viewer that deciding needs the operator role', () => {
    expect(approvalProblem(slot(), request('viewer'))).toBe(`Deciding ${DECISION} needs the operator role; this key has viewer`);
  });

  it('requires an admin once the decision was escalated', () => {
    const escalated = slot({ status: 'escalated', requiredRole: 'admin' });
    expect(approvalProblem(escalated, request('operator'))).toBe(`Deciding ${DECISION} needs the admin role (it was escalated); this key has operator`);
    expect(approvalProblem(escalated, request('admin'))).toBeNull();
  });

  it.each([
    ['empty', ''],
    ['only whitespace', '  \n\t '],
  ])('refuses a reason that is %s', (_what, reason) => {
    expect(approvalProblem(slot(), request('operator', { reason }))).toBe('reason must be a non-empty string');
  });

  it('refuses a reason that is not a string', () => {
    expect(approvalProblem(slot(), request('operator', { reason: 42 as unknown as string }))).toBe('reason must be a non-empty string');
  });

  it(`accepts a reason of exactly ${APPROVAL_REASON_MAX} characters and refuses a longer one`, () => {
    expect(approvalProblem(slot(), request('operator', { reason: 'x'.repeat(APPROVAL_REASON_MAX) }))).toBeNull();
    expect(approvalProblem(slot(), request('operator', { reason: 'x'.repeat(APPROVAL_REASON_MAX + 1) }))).toBe(`reason must be at most ${APPROVAL_REASON_MAX} characters`);
  });

  it('reports a closed decision before the role, so a viewer learns it is too late', () => {
    expect(approvalProblem(slot({ status: 'approved', decidedBy: 'alice' }), request('viewer'))).toMatch(/already approved by alice/);
  });
});

describe('approval rule', () => {
  const above = (threshold: number): ApprovalRule => ({ when: 'above', threshold, timeoutSeconds: 3600, onTimeout: 'reject' });

  it('never asks for a person under "never", always asks under "always"', () => {
    for (const magnitude of [0, 1, 1e9, -5]) {
      expect(approvalRequired({ when: 'never' }, magnitude)).toBe(false);
      expect(approvalRequired({ when: 'always', timeoutSeconds: 60, onTimeout: 'escalate' }, magnitude)).toBe(true);
    }
  });

  it('asks for a person only when the magnitude is strictly above the threshold', () => {
    expect(approvalRequired(above(10), 10)).toBe(false);
    expect(approvalRequired(above(10), 9.999)).toBe(false);
    expect(approvalRequired(above(10), 10.001)).toBe(true);
    expect(approvalRequired(above(0), 0)).toBe(false);
  });

  it('under "above", a bigger decision never needs less approval than a smaller one', () => {
    const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(finite, finite, finite, (threshold, a, b) => {
        const [small, big] = a <= b ? [a, b] : [b, a];
        const rule = above(threshold);
        expect(!approvalRequired(rule, small) || approvalRequired(rule, big)).toBe(true);
      }),
    );
  });
});

describe('loop mode', () => {
  it('acts on the outside world only in live mode', () => {
    expect(LOOP_MODES.filter(modeActs)).toEqual(['live']);
    expect(modeActs('shadow')).toBe(false);
    expect(modeActs('dry-run')).toBe(false);
  });
});
