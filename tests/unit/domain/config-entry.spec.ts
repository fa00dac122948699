import fc from 'fast-check';
import {
  apiKeySnapshot, buildLedgerRecord, configChanges, configEntry, describeUrl, LoopInstance, loopSnapshot, scrubCredentials, SourceDefinition,
  sourceSnapshot,
} from '@opsloop/domain';

const actor = { keyId: 'k-1', name: 'ops lead', role: 'admin' as const };
const loop: LoopInstance = {
  id: '1b7c3c1e-0000-4000-8000-000000000001', name: 'reorder', kind: 'noop', policyVersion: 'noop@1', params: { decisions: 1, magnitude: 0 },
  mode: 'dry-run', trigger: { type: 'event' }, overlap: 'skip', approval: { when: 'never' }, stageDeadlineSeconds: 3600,
  actionTarget: { type: 'webhook', url: 'https://hooks.example.com/services/T1/B2/s3cretToken?sig=abc', timeoutSeconds: 10, maxAttempts: 5 },
  enabled: true, paramsVersion: 1, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z',
};
const source: SourceDefinition = {
  id: 's-1', name: 'erp db', kind: 'postgres',
  schema: { fields: [{ name: 'ts', type: 'timestamp', required: true }], uniqueKey: ['ts'], timeField: 'ts', seriesKey: [], dimensions: [] },
  config: { query: 'select 1' }, onDuplicate: 'skip', partialBatches: true, gatePolicy: 'warn', quality: {}, hasSecret: true,
  createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z',
};

describe('config diff', () => {
  it('lists only the changed leaf paths, in path order', () => {
    expect(configChanges({ a: 1, b: { c: 2, d: 3 }, e: [1] }, { a: 1, b: { c: 5, d: 3 }, e: [1, 2] })).toEqual([
      { path: 'b.c', before: 2, after: 5 },
      { path: 'e', before: [1], after: [1, 2] },
    ]);
  });

  it('leaves out before for a new path and after for a removed one', () => {
    expect(configChanges({ a: 1 }, { b: 2 })).toEqual([{ path: 'a', before: 1 }, { path: 'b', after: 2 }]);
    expect(configChanges(undefined, { a: { b: 1 } })).toEqual([{ path: 'a.b', after: 1 }]);
  });

  it('treats key order as no change', () => {
    expect(configChanges({ a: 1, b: { x: 1, y: 2 } }, { b: { y: 2, x: 1 }, a: 1 })).toEqual([]);
  });

  it('shows a change hidden by redaction as a change, with both values redacted', () => {
    const changes = configChanges({ url: 'https://h.example.com/in/tok1' }, { url: 'https://h.example.com/in/tok2' }, { url: describeUrl });
    expect(changes).toEqual([{ path: 'url', before: 'https://h.example.com/in/…', after: 'https://h.example.com/in/…' }]);
  });

  it('hides passwords written into URLs anywhere in a value', () => {
    expect(scrubCredentials({ q: ['postgres://app:hunter2@db:5432/x'] })).toEqual({ q: ['postgres://app:[redacted]@db:5432/x'] });
  });

  it('finds exactly the paths where two flat objects differ', () => {
    const flat = fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd'), fc.integer({ min: 0, max: 3 }));
    fc.assert(fc.property(flat, flat, (before, after) => {
      const expected = ['a', 'b', 'c', 'd'].filter((k) => before[k] !== after[k]);
      expect(configChanges(before, after).map((c) => c.path)).toEqual(expected);
    }));
  });
});

describe('config entries', () => {
  it('records who changed a loop and what, with the webhook described, never whole', () => {
    const after = { ...loop, mode: 'live' as const, actionTarget: { ...loop.actionTarget, url: 'https://hooks.example.com/services/T1/B2/n3wToken' } };
    const entry = configEntry('e-1', { subject: 'loop', subjectId: loop.id, subjectName: loop.name, action: 'update', loopId: loop.id, before: loopSnapshot(loop), after: loopSnapshot(after) }, actor);
    expect(entry).toMatchObject({ entryKey: 'config:e-1', type: 'config', loopId: loop.id });
    expect(entry.body).toEqual({
      subject: 'loop', subjectId: loop.id, subjectName: 'reorder', action: 'update', outcome: 'applied', actor, refusal: null,
      changes: [
        { path: 'actionTarget.url', before: 'https://hooks.example.com/services/…', after: 'https://hooks.example.com/services/…' },
        { path: 'mode', before: 'dry-run', after: 'live' },
      ],
    });
    expect(JSON.stringify(entry)).not.toMatch(/s3cretToken|n3wToken|sig=abc/);
  });

  it('records that source credentials were set, replaced or removed, never what they are', () => {
    const facts = (before: 'stored' | 'replaced' | null, after: 'stored' | 'replaced' | null) => ({
      subject: 'source' as const, subjectId: source.id, subjectName: source.name, action: 'update' as const,
      before: sourceSnapshot(source, before), after: sourceSnapshot(source, after),
    });
    expect(configEntry('e', facts('stored', 'replaced'), actor).body.changes).toEqual([{ path: 'secret', before: '[redacted]', after: '[redacted]' }]);
    expect(configEntry('e', facts(null, 'replaced'), actor).body.changes).toEqual([{ path: 'secret', before: null, after: '[redacted]' }]);
    expect(configEntry('e', facts('stored', null), actor).body.changes).toEqual([{ path: 'secret', before: '[redacted]', after: null }]);
  });

  it('keeps an API key to its name, role and revocation', () => {
    const key = { id: 'k', name: 'bot', role: 'operator' as const, keyPrefix: 'olk_abcd', isBootstrap: false, createdAt: new Date(0), revokedAt: null };
    expect(apiKeySnapshot(key)).toEqual({ name: 'bot', role: 'operator', revokedAt: null });
  });

  it('records a refused attempt with the fields and the role it needed', () => {
    const refusal = { status: 403, requiredRole: 'admin' as const, errors: [{ field: 'mode', messages: ['needs admin'] }] };
    const entry = configEntry('e-2', { subject: 'loop', subjectId: loop.id, subjectName: loop.name, action: 'update', before: loopSnapshot(loop), after: loopSnapshot({ ...loop, mode: 'live' }) }, { ...actor, role: 'operator' }, refusal);
    expect(entry.body).toMatchObject({ outcome: 'refused', refusal, changes: [{ path: 'mode', before: 'dry-run', after: 'live' }] });
  });

  it('builds entries the ledger accepts as they are', () => {
    const entry = configEntry('e-3', { subject: 'loop', subjectId: loop.id, subjectName: loop.name, action: 'create', before: undefined, after: loopSnapshot(loop) }, actor);
    expect(buildLedgerRecord(entry, new Date(0)).body).toEqual(entry.body);
  });
});
