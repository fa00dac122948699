/**
 * Port and SQL adapter for action effects: one row per idempotency key, and so per business
 * intent (the key is derived from it; `intent_key` is unique too). The row's decision is the one
 * that holds the intent. The action adapter claims the row before every send: whoever holds it
 * sends (again, under the same key, after a crash); a confirmed row is never sent again; another
 * decision for the same intent is told it is a duplicate. Two runs racing for one intent meet
 * at the unique key: one inserts the row, the other finds it and sends nothing.
 */
import { DataSource } from 'typeorm';
import { effectClaim, EffectHolder } from '@opsloop/domain';

export interface EffectClaimRequest {
  key: string;
  /** Null for decisions made before intents: their key is their decision id. */
  intentKey: string | null;
  decisionId: string;
  /** The target as the ledger describes it (no secrets). */
  target: string;
  /** After this long without a new attempt a `sending` row is stale (see actionStaleAfterSeconds). */
  staleAfterSeconds: number;
}

export type EffectState =
  /** This decision holds the row: send under the key. `tookOverFrom`: the decision that gave up on it. */
  | { state: 'send'; attempts: number; tookOverFrom: string | null }
  | { state: 'confirmed'; response: Record<string, unknown>; attempts: number }
  /** Another decision holds the intent; `delivered` once the receiver confirmed it. */
  | { state: 'duplicate'; of: string; delivered: boolean };

export interface EffectRecord {
  key: string;
  intentKey: string | null;
  decisionId: string;
  status: EffectHolder['status'];
  attempts: number;
  sweeps: number;
  response: Record<string, unknown> | null;
  failure: string | null;
}

export abstract class ActionEffectRepository {
  /** Registers one more attempt for the decision, or says why it must not send. */
  abstract claim(request: EffectClaimRequest): Promise<EffectState>;
  /** The receiver has the effect; whoever sent it, the row is confirmed from now on. */
  abstract confirm(key: string, response: Record<string, unknown>): Promise<void>;
  /** The holding decision gave up; a later decision for the intent may send it again. False when the row was not its `sending` row. */
  abstract markFailed(key: string, decisionId: string, reason: string): Promise<boolean>;
  abstract find(key: string): Promise<EffectRecord | null>;
  /**
   * Leases up to `limit` stale `sending` rows to the caller, oldest first: each counts one more
   * attempt and sweep and is not stale again until its stale interval has passed once more, so
   * two sweeping workers never take the same row at once.
   */
  abstract leaseStale(limit: number): Promise<EffectRecord[]>;
}

interface EffectRow {
  idempotency_key: string;
  intent_key: string | null;
  decision_id: string;
  status: EffectHolder['status'];
  attempts: number;
  sweeps: number;
  response: Record<string, unknown> | null;
  failure: string | null;
}

const COLUMNS = 'idempotency_key, intent_key, decision_id, status, attempts, sweeps, response, failure';

function toRecord(r: EffectRow): EffectRecord {
  return {
    key: r.idempotency_key, intentKey: r.intent_key, decisionId: r.decision_id, status: r.status, attempts: r.attempts, sweeps: r.sweeps,
    response: r.response, failure: r.failure,
  };
}

export class TypeOrmActionEffectRepository extends ActionEffectRepository {
  constructor(private readonly ds: DataSource) {
    super();
  }

  async claim(c: EffectClaimRequest): Promise<EffectState> {
    return this.ds.transaction(async (tx) => {
      // DO NOTHING waits for a racing insert of the same key to commit, then yields to it.
      const inserted: unknown[] = await tx.query(
        `INSERT INTO action_effects (idempotency_key, intent_key, decision_id, target, status, attempts, last_attempt_at, stale_at)
         VALUES ($1, $2, $3, $4, 'sending', 1, now(), now() + make_interval(secs => $5))
         ON CONFLICT DO NOTHING RETURNING 1`,
        [c.key, c.intentKey, c.decisionId, c.target, c.staleAfterSeconds],
      );
      if (inserted.length > 0) return { state: 'send', attempts: 1, tookOverFrom: null };
      const rows: EffectRow[] = await tx.query(`SELECT ${COLUMNS} FROM action_effects WHERE idempotency_key = $1 FOR UPDATE`, [c.key]);
      const row = rows[0];
      if (!row) throw new Error(`intent ${c.intentKey ?? '-'} is held under another idempotency key than ${c.key}`);
      const verdict = effectClaim({ decisionId: row.decision_id, status: row.status }, c.decisionId);
      if (verdict === 'confirmed') return { state: 'confirmed', response: row.response ?? {}, attempts: row.attempts };
      if (verdict === 'duplicate') return { state: 'duplicate', of: row.decision_id, delivered: row.status === 'confirmed' };
      // TypeORM answers an UPDATE on Postgres with [rows, rowCount], not the rows alone.
      const [updated]: [{ attempts: number }[], number] = await tx.query(
        // attempts counts this decision's sends: a decision taking over a failed intent starts at 1.
        `UPDATE action_effects SET attempts = CASE WHEN decision_id = $2 THEN attempts + 1 ELSE 1 END,
           decision_id = $2, status = 'sending', failure = NULL,
           last_attempt_at = now(), stale_at = now() + make_interval(secs => $3)
         WHERE idempotency_key = $1 RETURNING attempts`,
        [c.key, c.decisionId, c.staleAfterSeconds],
      );
      return { state: 'send', attempts: updated[0]!.attempts, tookOverFrom: verdict === 'take-over' ? row.decision_id : null };
    });
  }

  async confirm(key: string, response: Record<string, unknown>): Promise<void> {
    await this.ds.query(
      `UPDATE action_effects SET status = 'confirmed', response = $2, failure = NULL, confirmed_at = now()
       WHERE idempotency_key = $1 AND status <> 'confirmed'`,
      [key, response],
    );
  }

  async markFailed(key: string, decisionId: string, reason: string): Promise<boolean> {
    const [rows]: [unknown[], number] = await this.ds.query(
      `UPDATE action_effects SET status = 'failed', failure = $3 WHERE idempotency_key = $1 AND decision_id = $2 AND status = 'sending' RETURNING 1`,
      [key, decisionId, reason],
    );
    return rows.length > 0;
  }

  async find(key: string): Promise<EffectRecord | null> {
    const rows: EffectRow[] = await this.ds.query(`SELECT ${COLUMNS} FROM action_effects WHERE idempotency_key = $1`, [key]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async leaseStale(limit: number): Promise<EffectRecord[]> {
    // The row's own stale interval (stale_at - last_attempt_at, from its target's timeout) is the
    // lease; rows from before that interval was kept get 45 s, the default target's.
    const [rows]: [EffectRow[], number] = await this.ds.query(
      `UPDATE action_effects e
       SET last_attempt_at = now(), stale_at = now() + greatest(e.stale_at - e.last_attempt_at, interval '45 seconds'),
           attempts = e.attempts + 1, sweeps = e.sweeps + 1
       FROM (SELECT idempotency_key FROM action_effects WHERE status = 'sending' AND stale_at < now()
             ORDER BY stale_at LIMIT $1 FOR UPDATE SKIP LOCKED) s
       WHERE e.idempotency_key = s.idempotency_key
       RETURNING ${COLUMNS.split(', ').map((c) => `e.${c}`).join(', ')}`,
      [limit],
    );
    return rows.map(toRecord);
  }
}
