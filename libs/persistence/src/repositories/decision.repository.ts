/** Port and SQL adapter for decisions: the working state the ledger entries are copied from. */
import { DataSource } from 'typeorm';
import { ActionStatus, ApprovalStatus, DecisionRecord } from '@opsloop/domain';
import { iso, isoOrNull } from './sql-rows';

export type NewDecision = Pick<
  DecisionRecord,
  'subject' | 'decision' | 'magnitude' | 'explanation' | 'inputs' | 'action' | 'approvalStatus' | 'actionStatus' | 'intentKey'
>;

export interface ApprovalChange {
  status: ApprovalStatus;
  by?: string;
  at: string;
  reason?: string;
}

export abstract class DecisionRepository {
  /** All or nothing, once per run: a retried decide stage gets the decisions it made first. */
  abstract insertForRun(runId: string, loopId: string, decisions: NewDecision[], newId: () => string): Promise<DecisionRecord[]>;
  abstract findById(id: string): Promise<DecisionRecord | null>;
  abstract forRun(runId: string): Promise<DecisionRecord[]>;
  abstract setApproval(id: string, change: ApprovalChange): Promise<void>;
  abstract setAction(id: string, status: ActionStatus, result: Record<string, unknown> | null): Promise<void>;
  /** Sets the action status of those of `ids` that belong to the run; returns them, in seq order. */
  abstract setActions(runId: string, ids: string[], status: ActionStatus, result: Record<string, unknown> | null): Promise<string[]>;
  /** Records that the decision's intent is held by `of`: action status `duplicate`, nothing sent. */
  abstract markDuplicate(id: string, of: string, result: Record<string, unknown>): Promise<void>;
  abstract setOutcome(id: string, outcome: Record<string, unknown>, score: number | null): Promise<void>;
  /** Subjects and reasons of the run's failed actions, first `limit` in seq order. */
  abstract failedActions(runId: string, limit: number): Promise<{ subject: string; reason: string | null }[]>;
  /** The newest scored decisions of a loop, oldest first, for tuning. */
  abstract recentScored(loopId: string, limit: number): Promise<DecisionRecord[]>;
}

type DecisionRow = Record<string, unknown> & { created_at: Date; approval_at: Date | null };

function toDomain(r: DecisionRow): DecisionRecord {
  return {
    id: r.id as string, runId: r.run_id as string, loopId: r.loop_id as string, seq: r.seq as number,
    subject: r.subject as string, decision: r.decision as string, magnitude: r.magnitude as number,
    explanation: r.explanation as string, inputs: r.inputs as Record<string, unknown>,
    action: r.action as Record<string, unknown> | null, approvalStatus: r.approval_status as ApprovalStatus,
    approvalBy: r.approval_by as string | null, approvalAt: isoOrNull(r.approval_at), approvalReason: r.approval_reason as string | null,
    actionStatus: r.action_status as ActionStatus, actionResult: r.action_result as Record<string, unknown> | null,
    intentKey: (r.intent_key as string | null) ?? null, duplicateOf: (r.duplicate_of as string | null) ?? null,
    outcome: r.outcome as Record<string, unknown> | null, score: r.score as number | null, createdAt: iso(r.created_at),
  };
}

/** Decisions per INSERT: a run deciding for 10,000 items makes 20 round trips, not 10,000. */
const INSERT_CHUNK = 500;

export class TypeOrmDecisionRepository extends DecisionRepository {
  constructor(private readonly ds: DataSource) {
    super();
  }

  async insertForRun(runId: string, loopId: string, decisions: NewDecision[], newId: () => string): Promise<DecisionRecord[]> {
    return this.ds.transaction(async (tx) => {
      // Serialises two attempts of the same decide stage racing each other.
      await tx.query(`SELECT id FROM loop_runs WHERE id = $1 FOR UPDATE`, [runId]);
      const existing: DecisionRow[] = await tx.query(`SELECT * FROM decisions WHERE run_id = $1 ORDER BY seq`, [runId]);
      if (existing.length > 0) return existing.map(toDomain);
      const out: DecisionRecord[] = [];
      for (let from = 0; from < decisions.length; from += INSERT_CHUNK) {
        const chunk = decisions.slice(from, from + INSERT_CHUNK);
        const column = <T>(pick: (d: NewDecision) => T) => chunk.map(pick);
        const rows: DecisionRow[] = await tx.query(
          `INSERT INTO decisions (id, run_id, loop_id, seq, subject, decision, magnitude, explanation, inputs, action, approval_status, action_status, intent_key)
           SELECT u.id, $2, $3, u.seq, u.subject, u.decision, u.magnitude, u.explanation, u.inputs, u.action, u.approval_status, u.action_status, u.intent_key
           FROM unnest($1::uuid[], $4::int[], $5::text[], $6::text[], $7::float8[], $8::text[], $9::jsonb[], $10::jsonb[], $11::text[], $12::text[], $13::text[])
             AS u(id, seq, subject, decision, magnitude, explanation, inputs, action, approval_status, action_status, intent_key)
           ORDER BY u.seq RETURNING *`,
          [
            chunk.map(() => newId()), runId, loopId, chunk.map((_, i) => from + i + 1), column((d) => d.subject), column((d) => d.decision),
            column((d) => d.magnitude), column((d) => d.explanation), column((d) => JSON.stringify(d.inputs)),
            column((d) => (d.action === null ? null : JSON.stringify(d.action))), column((d) => d.approvalStatus), column((d) => d.actionStatus),
            column((d) => d.intentKey),
          ],
        );
        out.push(...rows.sort((a, b) => Number(a['seq']) - Number(b['seq'])).map(toDomain));
      }
      return out;
    });
  }

  async findById(id: string): Promise<DecisionRecord | null> {
    const rows: DecisionRow[] = await this.ds.query(`SELECT * FROM decisions WHERE id = $1`, [id]);
    return rows[0] ? toDomain(rows[0]) : null;
  }

  async forRun(runId: string): Promise<DecisionRecord[]> {
    const rows: DecisionRow[] = await this.ds.query(`SELECT * FROM decisions WHERE run_id = $1 ORDER BY seq`, [runId]);
    return rows.map(toDomain);
  }

  async setApproval(id: string, c: ApprovalChange): Promise<void> {
    await this.ds.query(
      `UPDATE decisions SET approval_status = $2, approval_by = $3, approval_at = $4, approval_reason = $5 WHERE id = $1`,
      [id, c.status, c.by ?? null, c.at, c.reason ?? null],
    );
  }

  async setAction(id: string, status: ActionStatus, result: Record<string, unknown> | null): Promise<void> {
    await this.ds.query(`UPDATE decisions SET action_status = $2, action_result = $3 WHERE id = $1`, [id, status, result]);
  }

  async setActions(runId: string, ids: string[], status: ActionStatus, result: Record<string, unknown> | null): Promise<string[]> {
    const rows: { id: string }[] = await this.ds.query(
      `WITH u AS (UPDATE decisions SET action_status = $3, action_result = $4 WHERE run_id = $1 AND id = ANY($2::uuid[]) RETURNING id, seq)
       SELECT id FROM u ORDER BY seq`,
      [runId, ids, status, result],
    );
    return rows.map((r) => r.id);
  }

  async markDuplicate(id: string, of: string, result: Record<string, unknown>): Promise<void> {
    await this.ds.query(`UPDATE decisions SET action_status = 'duplicate', action_result = $3, duplicate_of = $2 WHERE id = $1`, [id, of, result]);
  }

  async setOutcome(id: string, outcome: Record<string, unknown>, score: number | null): Promise<void> {
    await this.ds.query(`UPDATE decisions SET outcome = $2, score = $3 WHERE id = $1`, [id, outcome, score]);
  }

  async failedActions(runId: string, limit: number): Promise<{ subject: string; reason: string | null }[]> {
    return this.ds.query(
      `SELECT subject, action_result->>'reason' AS reason FROM decisions WHERE run_id = $1 AND action_status = 'failed' ORDER BY seq LIMIT $2`,
      [runId, limit],
    );
  }

  async recentScored(loopId: string, limit: number): Promise<DecisionRecord[]> {
    const rows: DecisionRow[] = await this.ds.query(
      `SELECT * FROM (SELECT * FROM decisions WHERE loop_id = $1 AND score IS NOT NULL ORDER BY created_at DESC, seq DESC LIMIT $2) d
       ORDER BY created_at, seq`,
      [loopId, limit],
    );
    return rows.map(toDomain);
  }
}
