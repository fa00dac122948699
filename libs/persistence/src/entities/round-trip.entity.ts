import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Row written by the round-trip activity: proof that API → Temporal → worker → Postgres works. */
@Entity({ name: 'round_trips' })
export class RoundTripEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  message!: string;

  @Column({ name: 'workflow_id', type: 'text' })
  workflowId!: string;

  @Column({ name: 'recorded_at', type: 'timestamptz', default: () => 'now()' })
  recordedAt!: Date;
}
