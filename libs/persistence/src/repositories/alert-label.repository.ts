/**
 * Port and SQL adapter for alert labels: append a label, list a decision's labels, and count
 * each decision's newest label per policy and params version (what precision is computed from).
 * A label counts only once its ledger entry exists: the ledger is appended right after the row,
 * and a row whose append failed stays invisible, as if the request had never succeeded.
 */
import { DataSource } from 'typeorm';
import { iso } from './sql-rows';

export const ALERT_LABELS = ['true-positive', 'false-positive', 'expected'] as const;
export type AlertLabelValue = (typeof ALERT_LABELS)[number];

export interface AlertLabel {
  id: string;
  decisionId: string;
  loopId: string;
  label: AlertLabelValue;
  note: string | null;
  /** Id of the API key that labelled (never the key itself). */
  labelledBy: string;
  createdAt: string;
}

export type NewAlertLabel = Omit<AlertLabel, 'createdAt'>;

/** How many alerts of one (policy version, params version) have each label as their newest. */
export interface LabelCounts {
  policyVersion: string;
  paramsVersion: number;
  truePositive: number;
  falsePositive: number;
  expected: number;
}

export function alertLabelLedgerKey(decisionId: string, labelId: string): string {
  return `label:${decisionId.toLowerCase()}:${labelId.toLowerCase()}`;
}

export abstract class AlertLabelRepository {
  abstract insert(label: NewAlertLabel): Promise<AlertLabel>;
  /** Every label of a decision, oldest first, whether or not its ledger entry was written. */
  abstract forDecision(decisionId: string): Promise<AlertLabel[]>;
  /** Per policy and params version of the run that decided: the newest ledgered label of each decision, counted. */
  abstract currentCounts(loopId: string): Promise<LabelCounts[]>;
}

interface LabelRow {
  id: string;
  decision_id: string;
  loop_id: string;
  label: AlertLabelValue;
  note: string | null;
  labelled_by: string;
  created_at: Date;
}

const toLabel = (r: LabelRow): AlertLabel => ({
  id: r.id, decisionId: r.decision_id, loopId: r.loop_id, label: r.label, note: r.note, labelledBy: r.labelled_by, createdAt: iso(r.created_at),
});

export class TypeOrmAlertLabelRepository extends AlertLabelRepository {
  constructor(private readonly ds: DataSource) {
    super();
  }

  async insert(l: NewAlertLabel): Promise<AlertLabel> {
    const rows: LabelRow[] = await this.ds.query(
      `INSERT INTO alert_labels (id, decision_id, loop_id, label, note, labelled_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [l.id, l.decisionId, l.loopId, l.label, l.note, l.labelledBy],
    );
    return toLabel(rows[0]!);
  }

  async forDecision(decisionId: string): Promise<AlertLabel[]> {
    const rows: LabelRow[] = await this.ds.query(`SELECT * FROM alert_labels WHERE decision_id = $1 ORDER BY seq`, [decisionId]);
    return rows.map(toLabel);
  }

  async currentCounts(loopId: string): Promise<LabelCounts[]> {
    const rows: { policy_version: string; params_version: number; tp: number; fp: number; expected: number }[] = await this.ds.query(
      `WITH newest AS (
         SELECT DISTINCT ON (l.decision_id) l.decision_id, l.label
         FROM alert_labels l
         JOIN ledger_entries e ON e.entry_key = 'label:' || l.decision_id::text || ':' || l.id::text
         WHERE l.loop_id = $1
         ORDER BY l.decision_id, l.seq DESC
       )
       SELECT r.policy_version, r.params_version,
              count(*) FILTER (WHERE n.label = 'true-positive')::int AS tp,
              count(*) FILTER (WHERE n.label = 'false-positive')::int AS fp,
              count(*) FILTER (WHERE n.label = 'expected')::int AS expected
       FROM newest n JOIN decisions d ON d.id = n.decision_id JOIN loop_runs r ON r.id = d.run_id
       GROUP BY r.policy_version, r.params_version
       ORDER BY r.policy_version, r.params_version`,
      [loopId],
    );
    return rows.map((r) => ({ policyVersion: r.policy_version, paramsVersion: r.params_version, truePositive: r.tp, falsePositive: r.fp, expected: r.expected }));
  }
}
