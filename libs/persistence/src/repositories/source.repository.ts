/**
 * Port and SQL adapter for source definitions. Sealed credentials go in and come out only through
 * `sealedSecret`; every other read says `hasSecret` and nothing more. Deleting keeps the row
 * (batches, observations and quarantine point at it).
 */
import { DataSource, EntityManager } from 'typeorm';
import { GatePolicy, OnDuplicate, QualityExpectations, SourceDefinition, SourceKind, SourceSchema } from '@opsloop/domain';
import { iso } from './sql-rows';

export type NewSource = Omit<SourceDefinition, 'id' | 'hasSecret' | 'createdAt' | 'updatedAt'> & {
  /** Already sealed by SecretBox; null when the source has no credentials. */
  secretSealed: string | null;
};

/** Absent fields stay as they are; `secretSealed: null` removes the credentials. */
export type SourceChanges = Partial<NewSource>;

/** Another live source already has this name (names are unique among sources not deleted). */
export class SourceNameTakenError extends Error {
  override readonly name = 'SourceNameTakenError';
  constructor(readonly sourceName: string) {
    super(`a source named "${sourceName}" already exists`);
  }
}

export abstract class SourceRepository {
  // `tx`: the write joins the caller's transaction (a config change and its ledger entry commit together).
  abstract create(input: NewSource, tx?: EntityManager): Promise<SourceDefinition>;
  /** Inside `tx` the row stays locked until the transaction ends, so a change reads what it replaces. */
  abstract get(id: string, tx?: EntityManager): Promise<SourceDefinition | null>;
  abstract list(): Promise<SourceDefinition[]>;
  abstract update(id: string, patch: SourceChanges, tx?: EntityManager): Promise<SourceDefinition | null>;
  abstract softDelete(id: string, tx?: EntityManager): Promise<boolean>;
  /** The sealed credentials of a live source, for the one place that opens them; null if none. */
  abstract sealedSecret(id: string): Promise<string | null>;
  /** Whether any observation is stored for the source (its identity fields are then fixed). */
  abstract hasObservations(id: string): Promise<boolean>;
}

interface SourceRow {
  id: string; name: string; kind: SourceKind; schema: SourceSchema; config: Record<string, unknown>; has_secret: boolean;
  on_duplicate: OnDuplicate; partial_batches: boolean; gate_policy: GatePolicy; quality: QualityExpectations;
  created_at: Date; updated_at: Date;
}

/** Every column but the sealed secret, which only `sealedSecret` reads. */
const SELECTED = `id, name, kind, schema, config, secret_sealed IS NOT NULL AS has_secret, on_duplicate, partial_batches,
  gate_policy, quality, created_at, updated_at`;

const COLUMNS: Record<keyof NewSource, string> = {
  name: 'name', kind: 'kind', schema: 'schema', config: 'config', onDuplicate: 'on_duplicate', partialBatches: 'partial_batches',
  gatePolicy: 'gate_policy', quality: 'quality', secretSealed: 'secret_sealed',
};
const JSON_COLUMNS = new Set(['schema', 'config', 'quality']);
const UNIQUE_VIOLATION = '23505';

function toDomain(r: SourceRow): SourceDefinition {
  return {
    id: r.id, name: r.name, kind: r.kind, schema: r.schema, config: r.config, onDuplicate: r.on_duplicate,
    partialBatches: r.partial_batches, gatePolicy: r.gate_policy, quality: r.quality, hasSecret: r.has_secret,
    createdAt: iso(r.created_at), updatedAt: iso(r.updated_at),
  };
}

export class TypeOrmSourceRepository extends SourceRepository {
  constructor(private readonly ds: DataSource) {
    super();
  }

  async create(s: NewSource, tx?: EntityManager): Promise<SourceDefinition> {
    // A taken name is an expected answer, not a failed statement (which would be logged).
    const rows: SourceRow[] = await this.named(s.name, () => (tx ?? this.ds).query(
      `INSERT INTO sources (name, kind, schema, config, secret_sealed, on_duplicate, partial_batches, gate_policy, quality)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (name) WHERE deleted_at IS NULL DO NOTHING RETURNING ${SELECTED}`,
      [s.name, s.kind, JSON.stringify(s.schema), JSON.stringify(s.config), s.secretSealed, s.onDuplicate, s.partialBatches,
        s.gatePolicy, JSON.stringify(s.quality)],
    ));
    if (!rows[0]) throw new SourceNameTakenError(s.name);
    return toDomain(rows[0]);
  }

  async get(id: string, tx?: EntityManager): Promise<SourceDefinition | null> {
    const rows: SourceRow[] = await (tx ?? this.ds).query(`SELECT ${SELECTED} FROM sources WHERE id = $1 AND deleted_at IS NULL${tx ? ' FOR UPDATE' : ''}`, [id]);
    return rows[0] ? toDomain(rows[0]) : null;
  }

  async list(): Promise<SourceDefinition[]> {
    const rows: SourceRow[] = await this.ds.query(`SELECT ${SELECTED} FROM sources WHERE deleted_at IS NULL ORDER BY created_at DESC, id`);
    return rows.map(toDomain);
  }

  async update(id: string, patch: SourceChanges, tx?: EntityManager): Promise<SourceDefinition | null> {
    const sets: string[] = [];
    const values: unknown[] = [id];
    for (const [key, column] of Object.entries(COLUMNS)) {
      const value = patch[key as keyof NewSource];
      if (value === undefined) continue;
      values.push(JSON_COLUMNS.has(column) ? JSON.stringify(value) : value);
      sets.push(`${column} = $${values.length}`);
    }
    sets.push('updated_at = now()');
    // A rename onto a live name changes nothing here and is told apart below, without a failed statement.
    const nameFree = patch.name === undefined ? '' :
      ` AND NOT EXISTS (SELECT 1 FROM sources o WHERE o.name = $${values.push(patch.name)} AND o.deleted_at IS NULL AND o.id <> $1)`;
    // TypeORM answers an UPDATE on Postgres with [rows, rowCount], not the rows alone.
    const [rows]: [SourceRow[], number] = await this.named(patch.name, () => (tx ?? this.ds).query(
      `UPDATE sources SET ${sets.join(', ')} WHERE id = $1 AND deleted_at IS NULL${nameFree} RETURNING ${SELECTED}`,
      values,
    ));
    if (rows[0]) return toDomain(rows[0]);
    if (patch.name !== undefined && (await this.get(id, tx))) throw new SourceNameTakenError(patch.name);
    return null;
  }

  async softDelete(id: string, tx?: EntityManager): Promise<boolean> {
    const [rows]: [unknown[], number] = await (tx ?? this.ds).query(
      `UPDATE sources SET deleted_at = now(), updated_at = now() WHERE id = $1 AND deleted_at IS NULL RETURNING id`,
      [id],
    );
    return rows.length > 0;
  }

  async sealedSecret(id: string): Promise<string | null> {
    const rows: { secret_sealed: string | null }[] = await this.ds.query(
      `SELECT secret_sealed FROM sources WHERE id = $1 AND deleted_at IS NULL`,
      [id],
    );
    return rows[0]?.secret_sealed ?? null;
  }

  async hasObservations(id: string): Promise<boolean> {
    const rows: { found: boolean }[] = await this.ds.query(
      `SELECT EXISTS (SELECT 1 FROM observations WHERE source_id = $1) AS found`,
      [id],
    );
    return rows[0]?.found === true;
  }

  /** Turns the partial unique index on the name into a typed error the API answers with 409. */
  private async named<T>(name: string | undefined, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (err) {
      const code = (err as { code?: string; driverError?: { code?: string } }).driverError?.code ?? (err as { code?: string }).code;
      if (code === UNIQUE_VIOLATION && name !== undefined) throw new SourceNameTakenError(name);
      throw err;
    }
  }
}
