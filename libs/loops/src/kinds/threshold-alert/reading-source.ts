/** Where threshold-alert readings come from: the run's event payload, or the configured probe. */
import { OutboundHttp } from '@opsloop/connectors';
import type { Reading } from '@opsloop/policies';
import type { Json } from '../../loop-kind';
import type { ProbeParams } from './threshold-alert.params';

const PROBE_TIMEOUT_MS = 5_000;

export function readingsFromEvent(event: Json | null): Reading[] | null {
  const readings = event?.['readings'];
  return Array.isArray(readings) ? (readings as Reading[]) : null;
}

export async function readProbe(http: OutboundHttp, probe: ProbeParams): Promise<Reading> {
  const reply = await http.getJson(probe.url, { timeoutMs: PROBE_TIMEOUT_MS });
  if (reply.status !== 200) throw new Error(`Probe ${new URL(probe.url).host} answered ${reply.status}`);
  const value = probe.field.split('.').reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Json)[key] : undefined), reply.body);
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Error(`Probe reply has no finite number at "${probe.field}"`);
  }
  return { series: probe.series, value };
}
