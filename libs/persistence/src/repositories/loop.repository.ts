/** Port and SQL adapter for loop instances. Deleting keeps the row (runs and the ledger point at it). */
import { DataSource, EntityManager } from 'typeorm';
import { LoopConfig, LoopInstance } from '@opsloop/domain';
import { iso } from './sql-rows';

export interface NewLoop extends LoopConfig {
  id: string;
  name: string;
  enabled: boolean;
}

export interface LoopChanges extends Partial<LoopConfig> {
  name?: string;
  enabled?: boolean;
  /** Set by the tune step: bumps params_version so runs record which params they used. */
  paramsChanged?: boolean;
}

export abstract class LoopRepository {
  abstract insert(loop: NewLoop, tx?: EntityManager): Promise<LoopInstance>;
  /** Inside `tx` the row stays locked until the transaction ends, so a change reads what it replaces. */
  abstract findById(id: string, tx?: EntityManager): Promise<LoopInstance | null>;
  abstract list(filter: { kind?: string; limit: number; offset: number }): Promise<LoopInstance[]>;
  abstract update(id: string, changes: LoopChanges, tx?: EntityManager): Promise<LoopInstance | null>;
  abstract softDelete(id: string, tx?: EntityManager): Promise<boolean>;
  /** Runs `fn` in one transaction with the loop row locked; schedule changes happen inside it. */
  abstract inTransaction<T>(fn: (tx: EntityManager) => Promise<T>): Promise<T>;
}

interface LoopRow {
  id: string; name: string; kind: string; policy_version: string; params: Record<string, unknown>; params_version: number;
  mode: LoopInstance['mode']; trigger: LoopInstance['trigger']; overlap: LoopInstance['overlap']; approval: LoopInstance['approval'];
  action_target: LoopInstance['actionTarget']; enabled: boolean; stage_deadline_seconds: number; created_at: Date; updated_at: Date;
}

function toDomain(r: LoopRow): LoopInstance {
  return {
    id: r.id, name: r.name, kind: r.kind, policyVersion: r.policy_version, params: r.params, paramsVersion: r.params_version,
    mode: r.mode, trigger: r.trigger, overlap: r.overlap, approval: r.approval, actionTarget: r.action_target, enabled: r.enabled,
    stageDeadlineSeconds: r.stage_deadline_seconds, createdAt: iso(r.created_at), updatedAt: iso(r.updated_at),
  };
}

const COLUMNS: Record<keyof LoopConfig | 'name' | 'enabled', string> = {
  name: 'name', kind: 'kind', policyVersion: 'policy_version', params: 'params', mode: 'mode', trigger: 'trigger',
  overlap: 'overlap', approval: 'approval', actionTarget: 'action_target', enabled: 'enabled', stageDeadlineSeconds: 'stage_deadline_seconds',
};
const JSON_COLUMNS = new Set(['params', 'trigger', 'approval', 'action_target']);

export class TypeOrmLoopRepository extends LoopRepository {
  constructor(private readonly ds: DataSource) {
    super();
  }

  async insert(l: NewLoop, tx?: EntityManager): Promise<LoopInstance> {
    const rows: LoopRow[] = await (tx ?? this.ds).query(
      `INSERT INTO loops (id, name, kind, policy_version, params, mode, trigger, overlap, approval, action_target, enabled, stage_deadline_seconds)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING *`,
      [l.id, l.name, l.kind, l.policyVersion, l.params, l.mode, l.trigger, l.overlap, l.approval, l.actionTarget, l.enabled, l.stageDeadlineSeconds],
    );
    return toDomain(rows[0]!);
  }

  async findById(id: string, tx?: EntityManager): Promise<LoopInstance | null> {
    const rows: LoopRow[] = await (tx ?? this.ds).query(`SELECT * FROM loops WHERE id = $1 AND deleted_at IS NULL${tx ? ' FOR UPDATE' : ''}`, [id]);
    return rows[0] ? toDomain(rows[0]) : null;
  }

  async list(f: { kind?: string; limit: number; offset: number }): Promise<LoopInstance[]> {
    const rows: LoopRow[] = await this.ds.query(
      `SELECT * FROM loops WHERE deleted_at IS NULL AND ($1::text IS NULL OR kind = $1)
       ORDER BY created_at DESC, id LIMIT $2 OFFSET $3`,
      [f.kind ?? null, f.limit, f.offset],
    );
    return rows.map(toDomain);
  }

  async update(id: string, changes: LoopChanges, tx?: EntityManager): Promise<LoopInstance | null> {
    const sets: string[] = [];
    const values: unknown[] = [id];
    for (const [key, column] of Object.entries(COLUMNS)) {
      const value = changes[key as keyof typeof COLUMNS];
      if (value === undefined) continue;
      values.push(JSON_COLUMNS.has(column) ? JSON.stringify(value) : value);
      sets.push(`${column} = $${values.length}`);
    }
    if (changes.paramsChanged) sets.push('params_version = params_version + 1');
    sets.push('updated_at = now()');
    // TypeORM answers an UPDATE on Postgres with [rows, rowCount], not the rows alone.
    const [rows]: [LoopRow[], number] = await (tx ?? this.ds).query(
      `UPDATE loops SET ${sets.join(', ')} WHERE id = $1 AND deleted_at IS NULL RETURNING *`,
      values,
    );
    return rows[0] ? toDomain(rows[0]) : null;
  }

  async softDelete(id: string, tx?: EntityManager): Promise<boolean> {
    const [rows]: [unknown[], number] = await (tx ?? this.ds).query(
      `UPDATE loops SET deleted_at = now(), enabled = false WHERE id = $1 AND deleted_at IS NULL RETURNING id`,
      [id],
    );
    return rows.length > 0;
  }

  inTransaction<T>(fn: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(fn);
  }
}
