/**
 * Port and SQL adapter for action effects, keyed by idempotency key. The action adapter asks it
 * before every send: a confirmed key is never sent again, whatever retried or replayed.
 */
import { DataSource } from 'typeorm';

export type EffectState =
  | { state: 'confirmed'; response: Record<string, unknown>; attempts: number }
  | { state: 'sending'; attempts: number };

export abstract class ActionEffectRepository {
  /** Registers one more attempt, or reports the confirmed effect so the caller does not send. */
  abstract beginAttempt(key: string, decisionId: string, target: string): Promise<EffectState>;
  abstract confirm(key: string, response: Record<string, unknown>): Promise<void>;
  abstract find(key: string): Promise<EffectState | null>;
}

interface EffectRow {
  status: 'sending' | 'confirmed';
  attempts: number;
  response: Record<string, unknown> | null;
}

function toState(r: EffectRow): EffectState {
  return r.status === 'confirmed' ? { state: 'confirmed', response: r.response ?? {}, attempts: r.attempts } : { state: 'sending', attempts: r.attempts };
}

export class TypeOrmActionEffectRepository extends ActionEffectRepository {
  constructor(private readonly ds: DataSource) {
    super();
  }

  async beginAttempt(key: string, decisionId: string, target: string): Promise<EffectState> {
    const rows: EffectRow[] = await this.ds.query(
      `INSERT INTO action_effects (idempotency_key, decision_id, target, status, attempts) VALUES ($1, $2, $3, 'sending', 1)
       ON CONFLICT (idempotency_key) DO UPDATE
         SET attempts = action_effects.attempts + CASE WHEN action_effects.status = 'sending' THEN 1 ELSE 0 END
       RETURNING status, attempts, response`,
      [key, decisionId, target],
    );
    return toState(rows[0]!);
  }

  async confirm(key: string, response: Record<string, unknown>): Promise<void> {
    await this.ds.query(
      `UPDATE action_effects SET status = 'confirmed', response = $2, confirmed_at = now() WHERE idempotency_key = $1 AND status = 'sending'`,
      [key, response],
    );
  }

  async find(key: string): Promise<EffectState | null> {
    const rows: EffectRow[] = await this.ds.query(`SELECT status, attempts, response FROM action_effects WHERE idempotency_key = $1`, [key]);
    return rows[0] ? toState(rows[0]) : null;
  }
}
