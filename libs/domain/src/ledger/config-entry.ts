/**
 * `config` ledger entries: who changed a loop, source, metric definition or API key, and what
 * changed (or, for a refused loosening, what they tried). Each subject has its snapshot, an
 * allow-list of what may be shown, and the redactions for the parts that must never be stored
 * whole: webhook URLs, source credentials. API key secrets and hashes are never in a snapshot.
 */
import type { ApiKey } from '../api-key';
import type { LoopConfig } from '../loops/loop-config';
import type { MetricDefinition } from '../metrics/metric-definition';
import type { Role } from '../roles';
import type { SourceDefinition } from '../sources/source-schema';
import { ConfigChange, configChanges, describeUrl, REDACTED, Redactions } from './config-diff';
import type { NewLedgerEntry } from './ledger-entry';

export const CONFIG_SUBJECTS = ['loop', 'source', 'metric', 'api-key'] as const;
export type ConfigSubject = (typeof CONFIG_SUBJECTS)[number];

export const CONFIG_ACTIONS = ['create', 'update', 'enable', 'disable', 'delete', 'revoke'] as const;
export type ConfigAction = (typeof CONFIG_ACTIONS)[number];

/** `applied`: the change was made. `refused`: an attempt to loosen control without the role for it; nothing changed. */
export type ConfigOutcome = 'applied' | 'refused';

export interface ConfigActor {
  keyId: string;
  name: string;
  role: Role;
}

export interface ConfigRefusal {
  status: number;
  requiredRole: Role;
  errors: { field: string; messages: string[] }[];
}

export interface ConfigEntryBody {
  subject: ConfigSubject;
  /** The loop, source or API key id, or the metric key; null for a refused create (nothing was made). */
  subjectId: string | null;
  subjectName: string;
  action: ConfigAction;
  outcome: ConfigOutcome;
  actor: ConfigActor;
  changes: ConfigChange[];
  refusal: ConfigRefusal | null;
}

/** What a service knows about one change; `before` undefined for a create. */
export interface ConfigChangeFacts<S> {
  subject: ConfigSubject;
  subjectId: string | null;
  subjectName: string;
  action: ConfigAction;
  before: S | undefined;
  after: S;
  loopId?: string;
}

export type LoopSnapshot = ReturnType<typeof loopSnapshot>;
export type SourceSnapshot = ReturnType<typeof sourceSnapshot>;
export type MetricSnapshot = ReturnType<typeof metricSnapshot>;
export type ApiKeySnapshot = ReturnType<typeof apiKeySnapshot>;

/** What of a loop a config entry compares; ids, versions and timestamps are the row's business. */
export function loopSnapshot(l: LoopConfig & { name: string; enabled: boolean }, deleted = false) {
  return {
    name: l.name, kind: l.kind, policyVersion: l.policyVersion, params: l.params, mode: l.mode, trigger: l.trigger,
    overlap: l.overlap, stageDeadlineSeconds: l.stageDeadlineSeconds, approval: l.approval, actionTarget: l.actionTarget, enabled: l.enabled, deleted,
  };
}

/**
 * `secret` stands for the sealed credentials: null without any, `stored` with some, `replaced`
 * when this change stores new ones. Only the fact shows in the ledger, never a value.
 */
export function sourceSnapshot(s: SourceDefinition, secret: 'stored' | 'replaced' | null, deleted = false) {
  return {
    name: s.name, kind: s.kind, schema: s.schema, config: s.config, onDuplicate: s.onDuplicate, partialBatches: s.partialBatches,
    gatePolicy: s.gatePolicy, quality: s.quality, secret, deleted,
  };
}

export function metricSnapshot(m: MetricDefinition) {
  return {
    version: m.version, name: m.name, description: m.description, owner: m.owner, unit: m.unit, source: m.source, measure: m.measure,
    aggregation: m.aggregation, filter: m.filter, grain: m.grain, dimensions: m.dimensions, target: m.target, thresholds: m.thresholds,
  };
}

/** Name, role and revocation only: a key's secret, hash and display prefix never reach the ledger. */
export function apiKeySnapshot(k: ApiKey) {
  return { name: k.name, role: k.role, revokedAt: k.revokedAt === null ? null : new Date(k.revokedAt).toISOString() };
}

const REDACTIONS: Record<ConfigSubject, Redactions> = {
  loop: { 'actionTarget.url': describeUrl },
  source: { secret: (v) => (v === null ? null : REDACTED), 'config.url': describeUrl },
  metric: {},
  'api-key': {},
};

/** The changed paths of one change, redacted for its subject. */
export function configDiff(subject: ConfigSubject, before: unknown, after: unknown): ConfigChange[] {
  return configChanges(before, after, REDACTIONS[subject]);
}

/** The ledger entry of a change; `entryId` makes its key unique (one entry per change or refusal). */
export function configEntry<S>(entryId: string, facts: ConfigChangeFacts<S>, actor: ConfigActor, refusal: ConfigRefusal | null = null): NewLedgerEntry {
  const body: ConfigEntryBody = {
    subject: facts.subject,
    subjectId: facts.subjectId,
    subjectName: facts.subjectName,
    action: facts.action,
    outcome: refusal ? 'refused' : 'applied',
    actor: { keyId: actor.keyId, name: actor.name, role: actor.role },
    changes: configDiff(facts.subject, facts.before, facts.after),
    refusal,
  };
  return { entryKey: `config:${entryId}`, type: 'config', loopId: facts.loopId, body: body as unknown as Record<string, unknown> };
}
