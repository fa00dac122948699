import { Provider } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test, TestingModule } from '@nestjs/testing';
import { OutboundHttp, OutboundPolicy } from '@opsloop/connectors';
import { CollectedReadings } from '../../../libs/loops/src/collected-readings';
import { NoopKind } from '../../../libs/loops/src/kinds/noop/noop.kind';
import { ThresholdAlertKind } from '../../../libs/loops/src/kinds/threshold-alert/threshold-alert.kind';
import { LoopKind } from '../../../libs/loops/src/loop-kind.decorator';
import { LoopKindRegistry } from '../../../libs/loops/src/loop-kind.registry';

/** The real kinds behind the registry; the readings port is a stub because nothing here reads it. */
async function moduleWith(extra: Provider[] = []): Promise<TestingModule> {
  const readings: CollectedReadings = { latestAfter: () => Promise.resolve(null) };
  const mod = await Test.createTestingModule({
    imports: [DiscoveryModule],
    providers: [
      { provide: OutboundHttp, useValue: new OutboundHttp(new OutboundPolicy(['127.0.0.1'])) },
      { provide: CollectedReadings, useValue: readings },
      LoopKindRegistry,
      ThresholdAlertKind,
      NoopKind,
      ...extra,
    ],
  }).compile();
  return mod.init();
}

describe('loop kind registry', () => {
  let mod: TestingModule;
  let registry: LoopKindRegistry;

  beforeAll(async () => {
    mod = await moduleWith();
    registry = mod.get(LoopKindRegistry);
  });

  afterAll(() => mod.close());

  it('finds every @LoopKind provider, sorted by name', () => {
    expect(registry.names()).toEqual(['noop', 'threshold-alert']);
    expect(registry.get('noop')).toBe(mod.get(NoopKind));
    expect(registry.find('nope')).toBeUndefined();
  });

  it('refuses an unknown kind and names the known ones', async () => {
    expect(() => registry.get('nope')).toThrow('Unknown loop kind "nope"; known kinds: noop, threshold-alert');
    await expect(registry.checkParams('nope', {}, 'nope@1')).rejects.toThrow('known kinds: noop, threshold-alert');
    await expect(registry.checkEvent('nope', {})).rejects.toThrow('Unknown loop kind "nope"');
  });

  describe('params', () => {
    it('fills in the defaults a kind declares', async () => {
      expect(await registry.checkParams('noop', {}, 'noop@1')).toEqual({ ok: true, params: { decisions: 1, magnitude: 0 } });
      expect(await registry.checkParams('threshold-alert', { bound: 80 }, 'threshold-alert@1')).toEqual({ ok: true, params: { bound: 80, direction: 'above' } });
    });

    it('keeps the values given and converts a numeric string where the kind allows it', async () => {
      expect(await registry.checkParams('noop', { decisions: '5', magnitude: 2.5 }, 'noop@1')).toEqual({ ok: true, params: { decisions: 5, magnitude: 2.5 } });
      expect(await registry.checkParams('threshold-alert', { bound: 5, direction: 'below' }, 'threshold-alert@1')).toMatchObject({ ok: true, params: { direction: 'below' } });
    });

    it('fills in nested defaults and accepts a probe on an allowed host', async () => {
      const check = await registry.checkParams('threshold-alert', { bound: 1, probe: { url: 'http://127.0.0.1:9100/metrics', field: 'data.load' } }, 'threshold-alert@1');
      expect(check).toEqual({ ok: true, params: { bound: 1, direction: 'above', probe: { url: 'http://127.0.0.1:9100/metrics', field: 'data.load', series: 'probe' } } });
    });

    it.each([null, [], 'bound=1', 42])('refuses params that are not an object (%p)', async (raw) => {
      expect(await registry.checkParams('noop', raw, 'noop@1')).toEqual({ ok: false, errors: [{ field: 'params', messages: ['params must be an object'] }] });
    });

    it('refuses unknown fields, at the top level and inside nested objects', async () => {
      expect(await registry.checkParams('noop', { colour: 'red' }, 'noop@1')).toEqual({ ok: false, errors: [{ field: 'params.colour', messages: ['property colour should not exist'] }] });
      const nested = await registry.checkParams('threshold-alert', { bound: 1, probe: { url: 'http://127.0.0.1/', field: 'v', method: 'POST' } }, 'threshold-alert@1');
      expect(nested).toEqual({ ok: false, errors: [{ field: 'params.probe.method', messages: ['property method should not exist'] }] });
    });

    it('names each bad field with a params. path', async () => {
      const check = await registry.checkParams('threshold-alert', { direction: 'sideways', probe: { url: 'not a url', field: 'a..b' } }, 'threshold-alert@1');
      expect(check.ok).toBe(false);
      const fields = check.ok ? [] : check.errors.map((e) => e.field);
      expect(fields.sort()).toEqual(['params.bound', 'params.direction', 'params.probe.field', 'params.probe.url']);
    });

    it('refuses out-of-range values with the validator message', async () => {
      const check = await registry.checkParams('noop', { decisions: 1001 }, 'noop@1');
      expect(check).toEqual({ ok: false, errors: [{ field: 'params.decisions', messages: ['decisions must not be greater than 1000'] }] });
    });

    it('refuses a probe host that is not on the allow-list, on params.probe.url', async () => {
      const check = await registry.checkParams('threshold-alert', { bound: 1, probe: { url: 'https://evil.example.com/load', field: 'v' } }, 'threshold-alert@1');
      expect(check).toEqual({ ok: false, errors: [{ field: 'params.probe.url', messages: ['params.probe.url host evil.example.com is not in OUTBOUND_ALLOWED_HOSTS'] }] });
    });

    it('refuses tuning limits that do not contain the bound', async () => {
      const tuning = { minBound: 10, maxBound: 50, step: 5, targetPrecision: 0.8, window: 10 };
      expect(await registry.checkParams('threshold-alert', { bound: 60, tuning }, 'threshold-alert@1')).toEqual({
        ok: false,
        errors: [{ field: 'params.tuning', messages: ['params.tuning must satisfy minBound <= bound <= maxBound'] }],
      });
      expect(await registry.checkParams('threshold-alert', { bound: 50, tuning }, 'threshold-alert@1')).toMatchObject({ ok: true, params: { tuning } });
    });

    it('refuses tuning with a window of zero, which could never be judged', async () => {
      const tuning = { minBound: 0, maxBound: 100, step: 5, targetPrecision: 0.8, window: 0 };
      const check = await registry.checkParams('threshold-alert', { bound: 50, tuning }, 'threshold-alert@1');
      expect(check).toMatchObject({ ok: false, errors: [{ field: 'params.tuning.window' }] });
    });

    it('gives stage code the params as the kind class', () => {
      expect(registry.typedParams('threshold-alert', { bound: 3 })).toBeInstanceOf(mod.get(ThresholdAlertKind).paramsType);
    });
  });

  describe('event payloads', () => {
    it('accepts a well-formed payload', async () => {
      const payload = { readings: [{ series: 'cpu', value: 91 }] };
      expect(await registry.checkEvent('threshold-alert', payload)).toEqual({ ok: true, params: payload });
    });

    it('names each bad field with a payload. path', async () => {
      const check = await registry.checkEvent('threshold-alert', { readings: [{ series: '', value: 'high' }], note: 'x' });
      expect(check.ok).toBe(false);
      const fields = check.ok ? [] : check.errors.map((e) => e.field);
      expect(fields.sort()).toEqual(['payload.note', 'payload.readings.0.series', 'payload.readings.0.value']);
    });

    it('refuses an empty list of readings', async () => {
      expect(await registry.checkEvent('threshold-alert', { readings: [] })).toEqual({
        ok: false,
        errors: [{ field: 'payload.readings', messages: ['readings must contain at least 1 elements'] }],
      });
    });

    it('passes any object through for a kind without an event type', async () => {
      expect(await registry.checkEvent('noop', { anything: [1, 2] })).toEqual({ ok: true, params: { anything: [1, 2] } });
    });
  });
});

describe('loop kind registry start-up', () => {
  it('refuses to start when two providers declare the same kind', async () => {
    @LoopKind('noop')
    class SecondNoopKind extends NoopKind {}
    await expect(moduleWith([SecondNoopKind])).rejects.toThrow('Loop kind "noop" is declared twice');
  });

  it('refuses a kind name that is not lower-case words joined by dashes', () => {
    expect(() => LoopKind('Threshold_Alert')).toThrow('Loop kind name "Threshold_Alert" must be lower-case words joined by dashes');
  });
});
