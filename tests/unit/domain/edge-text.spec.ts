import fc from 'fast-check';
import { EDGE_MAX_DEPTH, edgeTextErrors, roundTripInputProblems, textProblem } from '@opsloop/domain';

describe('edge text rule', () => {
  it('takes ordinary text, emoji (surrogate pairs) and other scripts as they are', () => {
    for (const s of ['', 'plain', 'Grüße, 東京 🚚📦', '\u00a0', 'tab\tand\nnewline', '\ud83d\ude9a']) expect(textProblem(s)).toBeNull();
  });

  it('names a NUL and where it is', () => {
    expect(textProblem('ab\u0000c')).toBe('must not contain a NUL character (\\u0000; at character 3)');
  });

  it('names a lone high or low surrogate and where it is', () => {
    expect(textProblem('x\ud800')).toBe('must be valid Unicode: it holds a lone UTF-16 surrogate (\\ud800; at character 2)');
    expect(textProblem('\udc00x')).toBe('must be valid Unicode: it holds a lone UTF-16 surrogate (\\udc00; at character 1)');
    expect(textProblem('\ude9a\ud83d')).toMatch(/\\ude9a; at character 1/);
  });

  it('refuses exactly the text that does not survive a trip through UTF-8, plus NUL', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
      const survives = Buffer.from(s, 'utf8').toString('utf8') === s;
      expect(textProblem(s) === null).toBe(survives && !s.includes('\u0000'));
    }), { numRuns: 500 });
  });

  it('finds every bad string in a body by its path, keys included, and nothing in a clean one', () => {
    const body = { name: 'ok', payload: { readings: [{ series: 'a\u0000' }, { ['k\ud800']: 1 }], note: 'fine' } };
    expect(edgeTextErrors(body)).toEqual([
      { field: 'payload.readings.0.series', messages: ['payload.readings.0.series must not contain a NUL character (\\u0000; at character 2)'] },
      { field: 'payload.readings.1', messages: ['payload.readings.1 has a key that must be valid Unicode: it holds a lone UTF-16 surrogate (\\ud800; at character 2)'] },
    ]);
    fc.assert(fc.property(fc.jsonValue(), (v) => {
      const clean = JSON.parse(JSON.stringify(v).replace(/\\u0000/g, '')) as unknown;
      expect(edgeTextErrors(clean)).toEqual([]);
    }));
  });

  it('names a parameter by its own name and a whole bad body as "body"', () => {
    expect(edgeTextErrors('a\u0000', 'id')[0]!.field).toBe('id');
    expect(edgeTextErrors('a\u0000')[0]!.field).toBe('body');
  });

  it('refuses nesting past the depth limit without recursing, however deep', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = { d: deep };
    const errors = edgeTextErrors(deep);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.field.split('.')).toHaveLength(EDGE_MAX_DEPTH);
    expect(errors[0]!.messages[0]).toMatch(/is nested more than 64 levels deep$/);
  });
});

describe('round-trip input rule, shared by the API and the workflow', () => {
  it('names each field with its problem', () => {
    expect(roundTripInputProblems({ id: 'nope', message: ' \u00a0\u3000' })).toEqual([
      { field: 'id', message: 'id must be a UUID' },
      { field: 'message', message: 'message must be a non-empty string (not only whitespace)' },
    ]);
    expect(roundTripInputProblems({ id: '0b7a2a59-5b7e-4a53-a8e3-000000000000', message: 'x\u0000' })).toEqual([
      { field: 'message', message: 'message must not contain a NUL character (\\u0000; at character 2)' },
    ]);
  });
});
