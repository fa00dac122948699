/**
 * Port and SQL adapter for approvals given through the API (append-only rows), the decisions a
 * bulk request may cover, and writing verified verdicts into decision rows. New approvals are
 * inserted inside the caller's transaction, the one that appends their ledger entries.
 */
import { DataSource, EntityManager } from 'typeorm';
import { ApprovalActor, ApprovalProof, ApprovalStatus, ApprovalVerdict, Role } from '@opsloop/domain';
import { iso, isoOrNull } from './sql-rows';

export interface NewApproval {
  id: string;
  /** Set for every approval of one bulk request. */
  batchId: string | null;
  decisionId: string;
  runId: string;
  loopId: string;
  actor: ApprovalActor;
  verdict: ApprovalVerdict;
  reason: string;
}

export interface ApprovalRecord extends NewApproval {
  createdAt: string;
}

/** Criteria of a bulk request; all given ones must hold. */
export interface BulkApprovalFilter {
  decisionIds?: string[];
  subjects?: string[];
  magnitudeAbove?: number;
  magnitudeBelow?: number;
}

/** What a bulk request needs to know of a decision. */
export interface DecisionAwaiting {
  id: string;
  subject: string;
  magnitude: number;
  approvalStatus: ApprovalStatus;
  approvalBy: string | null;
  approvalAt: string | null;
}

export interface AppliedApproval {
  decisionId: string;
  status: 'approved' | 'rejected';
  loopId: string;
  approvalId: string;
  reason: string;
}

export abstract class ApprovalRepository {
  abstract insert(tx: EntityManager, approvals: NewApproval[]): Promise<void>;
  /** The approval with this id, or every approval of this batch; empty when there is none. */
  abstract find(proof: ApprovalProof): Promise<ApprovalRecord[]>;
  /** The run's decisions matching the filter that needed a person, plus any the filter names by id, in seq order. */
  abstract decisionsForBulk(runId: string, filter: BulkApprovalFilter): Promise<DecisionAwaiting[]>;
  /**
   * Writes the stored verdict of the proof's approvals into those of `decisionIds` they answer,
   * when the decision is of `runId` and still waits; returns what was written. One statement, so
   * all or nothing; a retry after it committed writes nothing again.
   */
  abstract applyToDecisions(runId: string, proof: ApprovalProof, decisionIds: string[], change: { by: string; at: string }): Promise<AppliedApproval[]>;
}

/** Rows per INSERT: a bulk approval of 5,000 decisions is ten statements. */
const INSERT_CHUNK = 500;

type ApprovalRow = {
  id: string; batch_id: string | null; decision_id: string; run_id: string; loop_id: string;
  key_id: string; key_name: string; role: Role; verdict: ApprovalVerdict; reason: string; created_at: Date;
};

function toRecord(r: ApprovalRow): ApprovalRecord {
  return {
    id: r.id, batchId: r.batch_id, decisionId: r.decision_id, runId: r.run_id, loopId: r.loop_id,
    actor: { keyId: r.key_id, name: r.key_name, role: r.role }, verdict: r.verdict, reason: r.reason, createdAt: iso(r.created_at),
  };
}

type AppliedRow = { id: string; loop_id: string; approval_status: 'approved' | 'rejected'; approval_id: string; reason: string };

/** The WHERE part naming the proof's rows; ids travel as parameters. */
function proofCondition(proof: ApprovalProof, param: number): { sql: string; value: string } {
  return 'batchId' in proof ? { sql: `a.batch_id = $${param}`, value: proof.batchId } : { sql: `a.id = $${param}`, value: proof.approvalId };
}

export class TypeOrmApprovalRepository extends ApprovalRepository {
  constructor(private readonly ds: DataSource) {
    super();
  }

  async insert(tx: EntityManager, approvals: NewApproval[]): Promise<void> {
    for (let from = 0; from < approvals.length; from += INSERT_CHUNK) {
      const chunk = approvals.slice(from, from + INSERT_CHUNK);
      const column = <T>(pick: (a: NewApproval) => T) => chunk.map(pick);
      await tx.query(
        `INSERT INTO approvals (id, batch_id, decision_id, run_id, loop_id, key_id, key_name, role, verdict, reason)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $6::uuid[], $7::text[], $8::text[], $9::text[], $10::text[])`,
        [
          column((a) => a.id), column((a) => a.batchId), column((a) => a.decisionId), column((a) => a.runId), column((a) => a.loopId),
          column((a) => a.actor.keyId), column((a) => a.actor.name), column((a) => a.actor.role), column((a) => a.verdict), column((a) => a.reason),
        ],
      );
    }
  }

  async find(proof: ApprovalProof): Promise<ApprovalRecord[]> {
    const where = proofCondition(proof, 1);
    const rows: ApprovalRow[] = await this.ds.query(`SELECT a.* FROM approvals a WHERE ${where.sql} ORDER BY a.created_at, a.id`, [where.value]);
    return rows.map(toRecord);
  }

  async decisionsForBulk(runId: string, f: BulkApprovalFilter): Promise<DecisionAwaiting[]> {
    const rows: (Record<string, unknown> & { approval_at: Date | null })[] = await this.ds.query(
      `SELECT id, subject, magnitude, approval_status, approval_by, approval_at FROM decisions
       WHERE run_id = $1 AND (approval_status <> 'not-required' OR id = ANY($2::uuid[]))
         AND ($2::uuid[] IS NULL OR id = ANY($2::uuid[])) AND ($3::text[] IS NULL OR subject = ANY($3::text[]))
         AND ($4::float8 IS NULL OR magnitude > $4) AND ($5::float8 IS NULL OR magnitude < $5)
       ORDER BY seq`,
      [runId, f.decisionIds ?? null, f.subjects ?? null, f.magnitudeAbove ?? null, f.magnitudeBelow ?? null],
    );
    return rows.map((r) => ({
      id: r['id'] as string, subject: r['subject'] as string, magnitude: r['magnitude'] as number,
      approvalStatus: r['approval_status'] as ApprovalStatus, approvalBy: r['approval_by'] as string | null, approvalAt: isoOrNull(r.approval_at),
    }));
  }

  async applyToDecisions(runId: string, proof: ApprovalProof, decisionIds: string[], change: { by: string; at: string }): Promise<AppliedApproval[]> {
    const where = proofCondition(proof, 5);
    // The verdict comes from the stored row, never from the caller.
    const rows: (AppliedRow & { seq: number })[] = await this.ds.query(
      `UPDATE decisions d SET approval_status = CASE a.verdict WHEN 'approve' THEN 'approved' ELSE 'rejected' END,
         approval_by = $3, approval_at = $4, approval_reason = a.reason
       FROM approvals a
       WHERE a.decision_id = d.id AND ${where.sql} AND a.run_id = $1 AND d.run_id = $1 AND d.id = ANY($2::uuid[])
         AND d.approval_status IN ('pending', 'escalated')
       RETURNING d.id, d.loop_id, d.seq, d.approval_status, a.id AS approval_id, a.reason`,
      [runId, decisionIds, change.by, change.at, where.value],
    );
    return rows.sort((x, y) => x.seq - y.seq).map((r) => ({
      decisionId: r.id, status: r.approval_status, loopId: r.loop_id, approvalId: r.approval_id, reason: r.reason,
    }));
  }
}
