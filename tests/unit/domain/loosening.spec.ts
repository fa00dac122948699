import fc from 'fast-check';
import {
  ActionTarget, approvalLoosenings, approvalRequired, ApprovalRule, LoopControls, loosenings, newLoopBaseline, TuningBounds,
} from '@opsloop/domain';

const webhook = (url: string): ActionTarget => ({ type: 'webhook', url, timeoutSeconds: 10, maxAttempts: 5 });
const base: LoopControls = {
  mode: 'shadow',
  approval: { when: 'above', threshold: 100, timeoutSeconds: 3600, onTimeout: 'reject', role: 'admin' },
  actionTarget: webhook('https://erp.example.com/orders'),
  policyVersion: 'replenishment@1',
  tuningBounds: { serviceLevelFactor: { min: 0.5, max: 2 } },
};
const fields = (before: LoopControls, after: Partial<LoopControls>) => loosenings(before, { ...before, ...after }).map((l) => l.field);

describe('loosening rules (separation of duties)', () => {
  it('counts switching a loop to live as loosening, from shadow and from dry-run', () => {
    expect(fields(base, { mode: 'live' })).toEqual(['mode']);
    expect(fields({ ...base, mode: 'dry-run' }, { mode: 'live' })).toEqual(['mode']);
  });

  it('leaves leaving live, and moving between shadow and dry-run, open to operators', () => {
    expect(fields({ ...base, mode: 'live' }, { mode: 'shadow' })).toEqual([]);
    expect(fields(base, { mode: 'dry-run' })).toEqual([]);
  });

  it.each([
    ['above → never', { when: 'never' }, ['approval.when']],
    ['a higher threshold', { ...base.approval, threshold: 101 }, ['approval.threshold']],
    ['a longer timeout', { ...base.approval, timeoutSeconds: 3601 }, ['approval.timeoutSeconds']],
    ['reject → escalate on timeout', { ...base.approval, onTimeout: 'escalate' }, ['approval.onTimeout']],
    ['approver admin → operator', { ...base.approval, role: 'operator' }, ['approval.role']],
    ['approver admin → unset (operator)', { when: 'above', threshold: 100, timeoutSeconds: 3600, onTimeout: 'reject' }, ['approval.role']],
  ] as [string, ApprovalRule, string[]][])('counts %s as a weaker approval rule', (_what, approval, expected) => {
    expect(fields(base, { approval })).toEqual(expected);
  });

  it('counts always → above as weaker: decisions below the threshold no longer wait', () => {
    const always: ApprovalRule = { when: 'always', timeoutSeconds: 60, onTimeout: 'reject' };
    expect(approvalLoosenings(always, { ...always, when: 'above', threshold: 5 }).map((l) => l.field)).toEqual(['approval.when']);
  });

  it.each([
    ['never → always', { when: 'always', timeoutSeconds: 99_999, onTimeout: 'escalate', role: 'operator' }],
    ['a lower threshold', { ...base.approval, threshold: 50 }],
    ['a shorter timeout', { ...base.approval, timeoutSeconds: 60 }],
  ] as [string, ApprovalRule][])('counts %s as tightening', (_what, approval) => {
    const from = _what.startsWith('never') ? { ...base, approval: { when: 'never' } as ApprovalRule } : base;
    expect(fields(from, { approval })).toEqual([]);
  });

  it('counts any change of action target, and any other policy version, as loosening', () => {
    expect(fields(base, { actionTarget: webhook('https://erp.example.com/orders?v=2') })).toEqual(['actionTarget']);
    expect(fields(base, { actionTarget: { type: 'record' } })).toEqual(['actionTarget']);
    expect(fields(base, { actionTarget: { type: 'webhook', url: 'https://erp.example.com/orders', timeoutSeconds: 10, maxAttempts: 6 } })).toEqual(['actionTarget']);
    expect(fields(base, { policyVersion: 'replenishment@2' })).toEqual(['policyVersion']);
  });

  it('counts wider tuning bounds, or a newly tunable param, as loosening; narrower ones as tightening', () => {
    expect(fields(base, { tuningBounds: { serviceLevelFactor: { min: 0.4, max: 2 } } })).toEqual(['params.tuning']);
    expect(fields(base, { tuningBounds: { serviceLevelFactor: { min: 0.5, max: 2.5 } } })).toEqual(['params.tuning']);
    expect(fields(base, { tuningBounds: { ...base.tuningBounds, bound: { min: 1, max: 2 } } })).toEqual(['params.tuning']);
    expect(fields(base, { tuningBounds: { serviceLevelFactor: { min: 0.8, max: 1.2 } } })).toEqual([]);
    expect(fields(base, { tuningBounds: {} })).toEqual([]);
  });

  it('names every loosened field of one change, each with its reason', () => {
    const found = loosenings(base, { ...base, mode: 'live', approval: { when: 'never' }, policyVersion: 'replenishment@2' });
    expect(found.map((l) => l.field)).toEqual(['mode', 'approval.when', 'policyVersion']);
    expect(found[1].reason).toBe('approval above → never lets decisions act without a person');
  });

  it('compares a new loop with the inert defaults: live or a webhook needs an admin, an approval rule does not', () => {
    const baseline = newLoopBaseline('noop@1', {});
    const created = (c: Partial<LoopControls>) => loosenings(baseline, { ...baseline, ...c }).map((l) => l.field);
    expect(created({ approval: { when: 'always', timeoutSeconds: 60, onTimeout: 'reject' } })).toEqual([]);
    expect(created({ mode: 'live' })).toEqual(['mode']);
    expect(created({ actionTarget: webhook('https://erp.example.com/x') })).toEqual(['actionTarget']);
    expect(created({ policyVersion: 'noop@0' })).toEqual(['policyVersion']);
  });
});

// ---- properties -------------------------------------------------------------------------------

const timeout = fc.integer({ min: 1, max: 30 * 86_400 });
const threshold = fc.double({ min: -1e6, max: 1e6, noNaN: true });
const onTimeout = fc.constantFrom('reject' as const, 'escalate' as const);
const role = fc.constantFrom('operator' as const, 'admin' as const, undefined);
const rule: fc.Arbitrary<ApprovalRule> = fc.oneof(
  fc.constant({ when: 'never' } as ApprovalRule),
  fc.record({ when: fc.constant('always' as const), timeoutSeconds: timeout, onTimeout, role }, { requiredKeys: ['when', 'timeoutSeconds', 'onTimeout'] }),
  fc.record({ when: fc.constant('above' as const), threshold, timeoutSeconds: timeout, onTimeout, role }, { requiredKeys: ['when', 'threshold', 'timeoutSeconds', 'onTimeout'] }),
);
const bounds: fc.Arbitrary<TuningBounds> = fc.dictionary(
  fc.constantFrom('serviceLevelFactor', 'bound'),
  fc.tuple(fc.double({ min: 0, max: 10, noNaN: true }), fc.double({ min: 0, max: 10, noNaN: true })).map(([a, b]) => ({ min: Math.min(a, b), max: Math.max(a, b) })),
);
const controls: fc.Arbitrary<LoopControls> = fc.record({
  mode: fc.constantFrom('live' as const, 'shadow' as const, 'dry-run' as const),
  approval: rule,
  actionTarget: fc.oneof(fc.constant<ActionTarget>({ type: 'record' }), fc.webUrl().map(webhook)),
  policyVersion: fc.constantFrom('p@1', 'p@2'),
  tuningBounds: bounds,
});

/** A rule at least as strict as `r` in every component. */
function tighterRule(r: ApprovalRule): fc.Arbitrary<ApprovalRule> {
  if (r.when === 'never') return rule;
  const parts = fc.record({
    timeoutSeconds: fc.integer({ min: 1, max: r.timeoutSeconds }),
    onTimeout: r.onTimeout === 'reject' ? fc.constant('reject' as const) : onTimeout,
    role: r.role === 'admin' ? fc.constant('admin' as const) : role,
  });
  const always = parts.map((p): ApprovalRule => ({ when: 'always', ...p }));
  if (r.when === 'always') return always;
  const lower = fc.double({ min: -1e6, max: r.threshold, noNaN: true });
  return fc.oneof(always, fc.tuple(parts, lower).map(([p, t]): ApprovalRule => ({ when: 'above', threshold: t, ...p })));
}

function narrower(b: TuningBounds): fc.Arbitrary<TuningBounds> {
  const entries = Object.entries(b).map(([param, { min, max }]) =>
    fc.option(fc.tuple(fc.double({ min, max, noNaN: true }), fc.double({ min, max, noNaN: true }))
      .map(([x, y]) => [param, { min: Math.min(x, y), max: Math.max(x, y) }] as const), { nil: undefined }));
  return fc.tuple(...entries).map((kept) => Object.fromEntries(kept.filter((e) => e !== undefined)));
}

function tighter(c: LoopControls): fc.Arbitrary<LoopControls> {
  return fc.record({
    mode: c.mode === 'live' ? fc.constantFrom('live' as const, 'shadow' as const, 'dry-run' as const) : fc.constantFrom('shadow' as const, 'dry-run' as const),
    approval: tighterRule(c.approval),
    actionTarget: fc.constant(c.actionTarget),
    policyVersion: fc.constant(c.policyVersion),
    tuningBounds: narrower(c.tuningBounds),
  });
}

/** One change that loosens `c`, and the field it must be named under; null when `c` has no such room. */
function looser(c: LoopControls): fc.Arbitrary<[LoopControls, string]> {
  const moves: fc.Arbitrary<[LoopControls, string]>[] = [
    fc.constant([{ ...c, policyVersion: `${c.policyVersion}+1` }, 'policyVersion']),
    fc.constant([{ ...c, actionTarget: webhook('https://new-target.example.com/in') }, 'actionTarget']),
    fc.constant([{ ...c, tuningBounds: { ...c.tuningBounds, brandNew: { min: 0, max: 1 } } }, 'params.tuning']),
  ];
  if (c.mode !== 'live') moves.push(fc.constant([{ ...c, mode: 'live' }, 'mode']));
  const a = c.approval;
  if (a.when !== 'never') {
    moves.push(fc.constant([{ ...c, approval: { when: 'never' } }, 'approval.when']));
    moves.push(fc.integer({ min: 1, max: 1000 }).map((d) => [{ ...c, approval: { ...a, timeoutSeconds: a.timeoutSeconds + d } }, 'approval.timeoutSeconds']));
    if (a.onTimeout === 'reject') moves.push(fc.constant([{ ...c, approval: { ...a, onTimeout: 'escalate' } }, 'approval.onTimeout']));
    if (a.role === 'admin') moves.push(fc.constant([{ ...c, approval: { ...a, role: 'operator' } }, 'approval.role']));
  }
  if (a.when === 'above') moves.push(fc.double({ min: 1e-3, max: 1e3, noNaN: true }).map((d) => [{ ...c, approval: { ...a, threshold: a.threshold + d } }, 'approval.threshold']));
  if (a.when === 'always') moves.push(threshold.map((t) => [{ ...c, approval: { ...a, when: 'above', threshold: t } }, 'approval.when']));
  return fc.oneof(...moves);
}

describe('loosening rules, as properties', () => {
  it('never asks for an admin when a change keeps every control as it was', () => {
    fc.assert(fc.property(controls, (c) => loosenings(c, c).length === 0));
  });

  it('never asks for an admin when a change tightens (or keeps) every control', () => {
    fc.assert(fc.property(controls.chain((c) => tighter(c).map((t) => [c, t] as const)), ([c, t]) => {
      expect(loosenings(c, t)).toEqual([]);
    }));
  });

  it('always asks for an admin when a change loosens any one control, naming that field', () => {
    fc.assert(fc.property(controls.chain((c) => looser(c).map((l) => [c, ...l] as const)), ([c, after, field]) => {
      expect(loosenings(c, after).map((l) => l.field)).toContain(field);
    }));
  });

  it('composes: two changes that each need no admin add up to one that needs none', () => {
    const chain = controls.chain((a) => tighter(a).chain((b) => tighter(b).map((c) => [a, b, c] as const)));
    fc.assert(fc.property(chain, ([a, , c]) => loosenings(a, c).length === 0));
  });

  it('matches the rule to its effect: without an approval loosening, every decision that waited still waits', () => {
    fc.assert(fc.property(rule, rule, fc.double({ min: -2e6, max: 2e6, noNaN: true }), (before, after, magnitude) => {
      const coverageLoosened = approvalLoosenings(before, after).some((l) => l.field === 'approval.when' || l.field === 'approval.threshold');
      if (!coverageLoosened && approvalRequired(before, magnitude)) expect(approvalRequired(after, magnitude)).toBe(true);
    }));
  });

  it('matches the rule to its effect: a coverage loosening lets some decision through that waited before', () => {
    fc.assert(fc.property(rule, rule, (before, after) => {
      const coverageLoosened = approvalLoosenings(before, after).some((l) => l.field === 'approval.when' || l.field === 'approval.threshold');
      if (!coverageLoosened) return;
      // At the new threshold, or just above the old one when no threshold is left.
      const probe = after.when === 'above' ? after.threshold : before.when === 'above' ? before.threshold + 1 : 0;
      expect(approvalRequired(before, probe) && !approvalRequired(after, probe)).toBe(true);
    }));
  });
});
