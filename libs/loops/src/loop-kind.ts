/**
 * What a loop kind implements. The engine calls these stages in order, one activity each, and
 * owns everything around them: approvals, actions, the ledger, outcome timers and tuning limits.
 * Stage results must be plain JSON: they are stored as run artifacts and hashed into the ledger.
 */
import type { Type } from '@nestjs/common';
import type { FieldError } from '@opsloop/config';
import type { ActionStatus, ApprovalRule, LoopMode, MagnitudeWording, RunTrigger } from '@opsloop/domain';

export type Json = Record<string, unknown>;

export interface RunContext<P = Json> {
  runId: string;
  loopId: string;
  kind: string;
  mode: LoopMode;
  policyVersion: string;
  params: P;
  /** The loop's approval rule, so an explanation can say when a decision will wait for a person. */
  approval: ApprovalRule;
  trigger: RunTrigger;
  /** The payload of an event-triggered or hand-started run. */
  event: Json | null;
  startedAt: string;
}

export interface QualityCheck {
  name: string;
  ok: boolean;
  message: string;
}

export interface QualityReport {
  ok: boolean;
  /** A failing report that stops the run before any decision. */
  blocking: boolean;
  checks: QualityCheck[];
}

export interface DecisionDraft {
  subject: string;
  decision: string;
  magnitude: number;
  /** The business reason, first and in plain words ("Order 42 units (205.80) because ..."). */
  explanation: string;
  /**
   * The figures behind it (forecast, σ, z, ...). The engine stores the explanation, then any
   * approval or mode sentence, then these, so a reader meets the reason before the statistics.
   */
  details?: string;
  /** What the action target receives; null when the decision needs no action. */
  action: Json | null;
  /** The inputs this one decision rested on (readings, metric versions, forecast method, ...). */
  inputs: Json;
}

export interface RecordedDecision extends DecisionDraft {
  id: string;
  runId: string;
  /** Whether the action happened: a kind may only score what was really done. */
  actionStatus: ActionStatus;
  createdAt: string;
}

export interface OutcomeMeasure {
  outcome: Json;
  score: number | null;
}

export interface ScoredDecision {
  decisionId: string;
  subject: string;
  score: number;
  /** What measureOutcome returned, for a kind that tunes on more than the score (units, say). */
  outcome: Json;
  createdAt: string;
}

/** Params the tune step may move, each with the range the operator allowed. */
export type TuneBounds = Record<string, { min: number; max: number }>;

export interface TuneProposal {
  changes: Record<string, { from: number; to: number }>;
  reason: string;
}

export interface LoopKindHandler<P extends object = Json> {
  /** class-validator DTO for the instance params; defaults set in the class apply. */
  readonly paramsType: Type<P>;
  readonly policyVersions: readonly string[];
  readonly description: string;
  /** DTO for the payload of event-triggered runs; without it any JSON object is accepted. */
  readonly eventType?: Type<object>;

  /** Checks across params that a DTO cannot express (allow-listed hosts, ranges between fields). */
  checkConfig?(params: P, policyVersion: string): FieldError[];

  collect(ctx: RunContext<P>): Promise<Json>;
  assessQuality(ctx: RunContext<P>, collected: Json): QualityReport;
  evaluate(ctx: RunContext<P>, collected: Json): Promise<Json>;
  /** May be async for a kind whose pure policy is heavy enough to run off the event loop. */
  decide(ctx: RunContext<P>, collected: Json, evaluation: Json): DecisionDraft[] | Promise<DecisionDraft[]>;
  /**
   * The part of the evaluation one decision's ledger entry keeps; the whole evaluation when not
   * implemented. A kind deciding for thousands of items says which slice each decision rested on.
   */
  evaluationFor?(evaluation: Json, decision: DecisionDraft): Json;

  /**
   * What one decision's action means, as the parts of its intent key (the engine adds the loop
   * id): decisions with the same parts are one business intent, delivered once under one
   * idempotency key however many runs decide it. Pure and stable: the same meaning must give the
   * same parts in every run and every release. Called only for decisions with an action. Without
   * it every decision is its own intent (its run and its place in the run).
   */
  intentOf?(ctx: RunContext<P>, decision: DecisionDraft): string[];

  /** How the approval sentence names a decision's magnitude ("value", as money); kinds without it say "magnitude". */
  magnitudeWording?(params: P): MagnitudeWording;

  /** Seconds after a run before its outcome is measured; null when the kind measures none. */
  outcomeWindowSeconds(params: P): number | null;
  measureOutcome?(ctx: RunContext<P>, decision: RecordedDecision): Promise<OutcomeMeasure>;

  tuneBounds?(params: P): TuneBounds;
  proposeTuning?(params: P, recent: ScoredDecision[]): TuneProposal | null;
}
