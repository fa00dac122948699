/** Port and SQL adapter for runs, their append-only steps and their stage artifacts. */
import { DataSource } from 'typeorm';
import { LoopInstance, RunRecord, RunStatus, RunTrigger, StepRecord, StepStatus } from '@opsloop/domain';
import { iso, isoOrNull } from './sql-rows';

export type NewRun = Omit<RunRecord, 'id' | 'status' | 'error' | 'startedAt' | 'finishedAt' | 'actedAt' | 'outcomeDueAt'>;

/** The row a run of `loop` starts with: the loop's settings as they are now, pinned to the run. */
export function newRunOf(loop: LoopInstance, workflowId: string, trigger: RunTrigger, event: Record<string, unknown> | null): NewRun {
  return {
    workflowId, loopId: loop.id, kind: loop.kind, mode: loop.mode, trigger, policyVersion: loop.policyVersion, params: loop.params,
    paramsVersion: loop.paramsVersion, approval: loop.approval, actionTarget: loop.actionTarget, event,
  };
}

export interface NewStep {
  runId: string;
  stage: string;
  status: StepStatus;
  attempt?: number;
  durationMs?: number;
  error?: string;
  detail?: Record<string, unknown>;
}

export interface RunFilter {
  loopId?: string;
  status?: RunStatus;
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

export abstract class RunRepository {
  /**
   * Idempotent per workflow id: a retried or replayed start returns the first row. A row left
   * failed by an earlier execution is opened again (an `open` step says so).
   */
  abstract open(run: NewRun): Promise<RunRecord>;
  /**
   * A run that could not open (its workflow failed or ended first): the row is written, or kept,
   * as failed with the reason and an `open` step, so the event shows in /runs and can be resent.
   */
  abstract recordFailedStart(run: NewRun, error: string): Promise<RunRecord>;
  abstract findById(id: string): Promise<RunRecord | null>;
  abstract findByWorkflowId(workflowId: string): Promise<RunRecord | null>;
  abstract list(filter: RunFilter): Promise<RunRecord[]>;
  abstract setStatus(id: string, status: RunStatus, error?: string): Promise<void>;
  /** Stamps the end of the act step; a retry keeps the first stamp. */
  abstract markActed(id: string): Promise<void>;
  /** When the loop's feedback workflow will measure the run's outcome. */
  abstract setOutcomeDue(id: string, dueAt: Date): Promise<void>;
  abstract appendStep(step: NewStep): Promise<void>;
  abstract steps(runId: string): Promise<StepRecord[]>;
  /** Keeps the first artifact written for a stage; a retried stage reads it back. */
  abstract saveArtifact(runId: string, stage: string, data: Record<string, unknown>): Promise<Record<string, unknown>>;
  abstract artifact(runId: string, stage: string): Promise<Record<string, unknown> | null>;
  abstract latestCollectedReading(loopId: string, series: string, afterIso: string): Promise<number | null>;
  /** Throws when the database cannot be reached: tells an outage from a failure of the stage itself. */
  abstract ping(): Promise<void>;
  /** Runs still open (running, awaiting approval, acting) that started before `startedBefore`, oldest first. */
  abstract unsettled(startedBefore: Date, limit: number): Promise<RunRecord[]>;
  /**
   * Moves a run from `seen` to its true final status and appends `steps`, in one transaction;
   * false (and nothing written) when the row is no longer `seen`: another sweeper was first.
   */
  abstract settle(id: string, seen: RunStatus, status: RunStatus, error: string | null, steps: NewStep[]): Promise<boolean>;
}

const OPEN_RUN_STATUSES: RunStatus[] = ['running', 'awaiting-approval', 'acting'];

interface RunRow {
  id: string; workflow_id: string; loop_id: string; kind: string; mode: RunRecord['mode']; trigger: RunRecord['trigger'];
  policy_version: string; params: Record<string, unknown>; params_version: number; approval: RunRecord['approval'];
  action_target: RunRecord['actionTarget']; event: Record<string, unknown> | null; status: RunStatus; error: string | null;
  started_at: Date; finished_at: Date | null; acted_at: Date | null; outcome_due_at: Date | null;
}

function toRun(r: RunRow): RunRecord {
  return {
    id: r.id, workflowId: r.workflow_id, loopId: r.loop_id, kind: r.kind, mode: r.mode, trigger: r.trigger,
    policyVersion: r.policy_version, params: r.params, paramsVersion: r.params_version, approval: r.approval,
    actionTarget: r.action_target, event: r.event, status: r.status, error: r.error,
    startedAt: iso(r.started_at), finishedAt: isoOrNull(r.finished_at), actedAt: isoOrNull(r.acted_at), outcomeDueAt: isoOrNull(r.outcome_due_at),
  };
}

interface StepRow {
  id: string; run_id: string; stage: string; status: StepStatus; attempt: number; duration_ms: number | null;
  error: string | null; detail: Record<string, unknown> | null; created_at: Date;
}

function toStep(r: StepRow): StepRecord {
  return { id: String(r.id), runId: r.run_id, stage: r.stage, status: r.status, attempt: r.attempt, durationMs: r.duration_ms, error: r.error, detail: r.detail, createdAt: iso(r.created_at) };
}

export class TypeOrmRunRepository extends RunRepository {
  constructor(private readonly ds: DataSource) {
    super();
  }

  async open(run: NewRun): Promise<RunRecord> {
    // A failed run under this workflow id is opened again: only a new execution (a resent event or
    // request, which Temporal allows after a failure) reaches open with the row already failed.
    const reopened: RunRow[] = await this.ds.query(
      `INSERT INTO loop_runs (workflow_id, loop_id, kind, mode, trigger, policy_version, params, params_version, approval, action_target, event, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'running')
       ON CONFLICT (workflow_id) DO UPDATE SET status = 'running', error = NULL, finished_at = NULL WHERE loop_runs.status = 'failed'
       RETURNING *, (xmax <> 0) AS was_reopened`,
      [run.workflowId, run.loopId, run.kind, run.mode, run.trigger, run.policyVersion, run.params, run.paramsVersion, run.approval, run.actionTarget, run.event],
    );
    const again = reopened[0] as (RunRow & { was_reopened: boolean }) | undefined;
    if (again?.was_reopened) await this.appendStep({ runId: again.id, stage: 'open', status: 'completed', detail: { reopened: true } });
    const rows: RunRow[] = await this.ds.query(`SELECT * FROM loop_runs WHERE workflow_id = $1`, [run.workflowId]);
    return toRun(rows[0]!);
  }

  async recordFailedStart(run: NewRun, error: string): Promise<RunRecord> {
    const rows: RunRow[] = await this.ds.query(
      `INSERT INTO loop_runs (workflow_id, loop_id, kind, mode, trigger, policy_version, params, params_version, approval, action_target, event, status, error, finished_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'failed', $12, now())
       ON CONFLICT (workflow_id) DO UPDATE SET status = 'failed', error = EXCLUDED.error, finished_at = now()
         WHERE loop_runs.status IN ('running', 'failed')
       RETURNING *`,
      [run.workflowId, run.loopId, run.kind, run.mode, run.trigger, run.policyVersion, run.params, run.paramsVersion, run.approval, run.actionTarget, run.event, error],
    );
    if (rows[0]) await this.appendStep({ runId: rows[0].id, stage: 'open', status: 'failed', error });
    return (await this.findByWorkflowId(run.workflowId))!;
  }

  async findById(id: string): Promise<RunRecord | null> {
    const rows: RunRow[] = await this.ds.query(`SELECT * FROM loop_runs WHERE id = $1`, [id]);
    return rows[0] ? toRun(rows[0]) : null;
  }

  async findByWorkflowId(workflowId: string): Promise<RunRecord | null> {
    const rows: RunRow[] = await this.ds.query(`SELECT * FROM loop_runs WHERE workflow_id = $1`, [workflowId]);
    return rows[0] ? toRun(rows[0]) : null;
  }

  async list(f: RunFilter): Promise<RunRecord[]> {
    const rows: RunRow[] = await this.ds.query(
      `SELECT * FROM loop_runs
       WHERE ($1::uuid IS NULL OR loop_id = $1) AND ($2::text IS NULL OR status = $2)
         AND ($3::timestamptz IS NULL OR started_at >= $3) AND ($4::timestamptz IS NULL OR started_at < $4)
       ORDER BY started_at DESC, id LIMIT $5 OFFSET $6`,
      [f.loopId ?? null, f.status ?? null, f.from ?? null, f.to ?? null, f.limit, f.offset],
    );
    return rows.map(toRun);
  }

  async setStatus(id: string, status: RunStatus, error?: string): Promise<void> {
    await this.ds.query(
      `UPDATE loop_runs SET status = $2, error = COALESCE($3, error),
         finished_at = CASE WHEN $2 IN ('completed', 'failed') THEN COALESCE(finished_at, now()) ELSE finished_at END
       WHERE id = $1`,
      [id, status, error ?? null],
    );
  }

  async markActed(id: string): Promise<void> {
    await this.ds.query(`UPDATE loop_runs SET acted_at = COALESCE(acted_at, now()) WHERE id = $1`, [id]);
  }

  async setOutcomeDue(id: string, dueAt: Date): Promise<void> {
    await this.ds.query(`UPDATE loop_runs SET outcome_due_at = $2 WHERE id = $1`, [id, dueAt]);
  }

  async appendStep(s: NewStep): Promise<void> {
    await this.ds.query(
      `INSERT INTO run_steps (run_id, stage, status, attempt, duration_ms, error, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [s.runId, s.stage, s.status, s.attempt ?? 1, s.durationMs ?? null, s.error ?? null, s.detail ?? null],
    );
  }

  async ping(): Promise<void> {
    await this.ds.query('SELECT 1');
  }

  async unsettled(startedBefore: Date, limit: number): Promise<RunRecord[]> {
    const rows: RunRow[] = await this.ds.query(
      `SELECT * FROM loop_runs WHERE status = ANY($1) AND started_at < $2 ORDER BY started_at LIMIT $3`,
      [OPEN_RUN_STATUSES, startedBefore, limit],
    );
    return rows.map(toRun);
  }

  async settle(id: string, seen: RunStatus, status: RunStatus, error: string | null, steps: NewStep[]): Promise<boolean> {
    return this.ds.transaction(async (tx) => {
      const [rows]: [unknown[], number] = await tx.query(
        `UPDATE loop_runs SET status = $3, error = COALESCE($4, error),
           finished_at = CASE WHEN $3 IN ('completed', 'failed') THEN COALESCE(finished_at, now()) ELSE finished_at END
         WHERE id = $1 AND status = $2 RETURNING id`,
        [id, seen, status, error],
      );
      if (rows.length === 0) return false;
      for (const s of steps) {
        await tx.query(
          `INSERT INTO run_steps (run_id, stage, status, attempt, duration_ms, error, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [s.runId, s.stage, s.status, s.attempt ?? 1, s.durationMs ?? null, s.error ?? null, s.detail ?? null],
        );
      }
      return true;
    });
  }

  async steps(runId: string): Promise<StepRecord[]> {
    const rows: StepRow[] = await this.ds.query(`SELECT * FROM run_steps WHERE run_id = $1 ORDER BY created_at, id`, [runId]);
    return rows.map(toStep);
  }

  async saveArtifact(runId: string, stage: string, data: Record<string, unknown>): Promise<Record<string, unknown>> {
    await this.ds.query(
      `INSERT INTO run_artifacts (run_id, stage, data) VALUES ($1, $2, $3) ON CONFLICT (run_id, stage) DO NOTHING`,
      [runId, stage, data],
    );
    return (await this.artifact(runId, stage))!;
  }

  async artifact(runId: string, stage: string): Promise<Record<string, unknown> | null> {
    const rows: { data: Record<string, unknown> }[] = await this.ds.query(
      `SELECT data FROM run_artifacts WHERE run_id = $1 AND stage = $2`, [runId, stage]);
    return rows[0]?.data ?? null;
  }

  async latestCollectedReading(loopId: string, series: string, afterIso: string): Promise<number | null> {
    const rows: { value: number }[] = await this.ds.query(
      `SELECT (r->>'value')::float8 AS value
       FROM run_artifacts a JOIN loop_runs l ON l.id = a.run_id, jsonb_array_elements(a.data->'readings') r
       WHERE l.loop_id = $1 AND a.stage = 'collect' AND a.created_at > $3 AND r->>'series' = $2
       ORDER BY a.created_at DESC LIMIT 1`,
      [loopId, series, afterIso],
    );
    return rows[0]?.value ?? null;
  }
}
