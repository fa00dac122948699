/** Port and TypeORM adapter for round-trip rows. */
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RoundTripInput, RoundTripRecord } from '@opsloop/domain';
import { RoundTripEntity } from '../entities/round-trip.entity';

export abstract class RoundTripRepository {
  /** Idempotent: recording the same id twice keeps the first row and returns it. */
  abstract record(input: RoundTripInput & { workflowId: string }): Promise<RoundTripRecord>;
  abstract findById(id: string): Promise<RoundTripRecord | null>;
}

function toDomain(row: RoundTripEntity): RoundTripRecord {
  return { id: row.id, message: row.message, workflowId: row.workflowId, recordedAt: row.recordedAt.toISOString() };
}

@Injectable()
export class TypeOrmRoundTripRepository extends RoundTripRepository {
  constructor(private readonly ds: DataSource) {
    super();
  }

  async record(input: RoundTripInput & { workflowId: string }): Promise<RoundTripRecord> {
    await this.ds
      .createQueryBuilder()
      .insert()
      .into(RoundTripEntity)
      .values({ id: input.id, message: input.message, workflowId: input.workflowId })
      .orIgnore()
      .execute();
    const row = await this.ds.getRepository(RoundTripEntity).findOneByOrFail({ id: input.id });
    return toDomain(row);
  }

  async findById(id: string): Promise<RoundTripRecord | null> {
    const row = await this.ds.getRepository(RoundTripEntity).findOneBy({ id });
    return row ? toDomain(row) : null;
  }
}
