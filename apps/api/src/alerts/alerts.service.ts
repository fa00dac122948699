/**
 * Alert feedback use cases: a person labels an alert decision (true positive, false positive or
 * expected), each label is kept and copied to the ledger, and each alert rule (an alerting loop
 * instance) reports its precision from the newest label of every alert.
 */
import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ApiKey, DecisionRecord, LoopInstance, RunRecord } from '@opsloop/domain';
import { alertLabelLedgerKey, AlertLabelRepository, DecisionRepository, LedgerRepository, LoopRepository, RunRepository } from '@opsloop/persistence';
import { AlertLabelDto, AlertPrecisionDto, CreatedAlertLabelDto, LabelBodyDto, toAlertLabelDto, toAlertPrecisionDto } from './alerts.dto';

/** Loop kinds whose decisions are alerts, and the decision that raised one. */
const ALERTING_KINDS: Record<string, { alertDecision: string }> = {
  'threshold-alert': { alertDecision: 'notify' },
};

@Injectable()
export class AlertsService {
  constructor(
    private readonly labels: AlertLabelRepository,
    private readonly decisions: DecisionRepository,
    private readonly runs: RunRepository,
    private readonly loops: LoopRepository,
    private readonly ledger: LedgerRepository,
  ) {}

  async label(decisionId: string, body: LabelBodyDto, key: ApiKey): Promise<CreatedAlertLabelDto> {
    const { decision, run } = await this.alert(decisionId);
    const previous = (await this.labels.forDecision(decision.id)).at(-1) ?? null;
    const label = await this.labels.insert({
      id: randomUUID(), decisionId: decision.id, loopId: decision.loopId, label: body.label, note: body.note ?? null, labelledBy: key.id,
    });
    // The row first, then the ledger: precision only counts labels whose entry exists, so a
    // failure between the two leaves a label that never counted, and a retry adds a new one.
    const entry = await this.ledger.append({
      entryKey: alertLabelLedgerKey(decision.id, label.id),
      type: 'label',
      loopId: decision.loopId,
      runId: decision.runId,
      decisionId: decision.id,
      body: {
        feedback: 'alert-label', labelId: label.id, label: label.label, note: label.note, replaces: previous?.id ?? null,
        labelledBy: { keyId: key.id, role: key.role }, policyVersion: run.policyVersion, paramsVersion: run.paramsVersion,
      },
    });
    return { ...toAlertLabelDto(label), replaces: previous?.id ?? null, ledgerEntryKey: entry.entryKey, ledgerSeq: entry.seq };
  }

  async labelsOf(decisionId: string): Promise<AlertLabelDto[]> {
    const { decision } = await this.alert(decisionId);
    return (await this.labels.forDecision(decision.id)).map(toAlertLabelDto);
  }

  async precision(loopId: string): Promise<AlertPrecisionDto> {
    const loop = await this.loops.findById(loopId);
    if (!loop) throw new NotFoundException(`No loop with id ${loopId}`);
    alertingKind(loop);
    return toAlertPrecisionDto(loop.id, await this.labels.currentCounts(loop.id));
  }

  /** The decision, if it exists and is an alert an alerting kind raised; 404 or 409 otherwise. */
  private async alert(decisionId: string): Promise<{ decision: DecisionRecord; run: RunRecord }> {
    const decision = await this.decisions.findById(decisionId);
    if (!decision) throw new NotFoundException(`No decision with id ${decisionId}`);
    const run = await this.runs.findById(decision.runId);
    if (!run) throw new NotFoundException(`The run of decision ${decisionId} no longer exists`);
    const kind = alertingKind(run);
    if (decision.decision !== kind.alertDecision) {
      throw new ConflictException(`Decision ${decision.id} is '${decision.decision}': no alert was raised, so there is nothing to label`);
    }
    return { decision, run };
  }
}

function alertingKind(owner: Pick<LoopInstance | RunRecord, 'kind'>): { alertDecision: string } {
  const kind = ALERTING_KINDS[owner.kind];
  if (!kind) {
    throw new ConflictException(`A ${owner.kind} loop raises no alerts; labels and precision apply to alerting kinds (${Object.keys(ALERTING_KINDS).join(', ')})`);
  }
  return kind;
}
