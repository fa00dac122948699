import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alert feedback: a person labels an alert decision true positive, false positive or expected.
 * Append-only: a newer label of the same decision is a new row (the newest counts for precision)
 * and a trigger refuses any UPDATE or DELETE, so the history of opinions stays whole.
 */
export class AlertLabels1766000000000 implements MigrationInterface {
  name = 'AlertLabels1766000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE alert_labels (
      id uuid PRIMARY KEY,
      seq bigserial NOT NULL UNIQUE,
      decision_id uuid NOT NULL REFERENCES decisions (id),
      loop_id uuid NOT NULL REFERENCES loops (id),
      label text NOT NULL CHECK (label IN ('true-positive', 'false-positive', 'expected')),
      note text NULL,
      labelled_by uuid NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX ix_alert_labels_decision ON alert_labels (decision_id, seq DESC)`);
    await q.query(`CREATE INDEX ix_alert_labels_loop ON alert_labels (loop_id, decision_id, seq DESC)`);
    await q.query(`CREATE FUNCTION alert_labels_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'alert_labels is append-only: add a newer label instead of changing one';
      END
    $$`);
    await q.query(`CREATE TRIGGER alert_labels_append_only BEFORE UPDATE OR DELETE ON alert_labels
      FOR EACH ROW EXECUTE FUNCTION alert_labels_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE alert_labels`);
    await q.query(`DROP FUNCTION alert_labels_append_only()`);
  }
}
