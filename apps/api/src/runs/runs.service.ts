/** Reading runs: lists, one run with its steps and decisions, and live progress from the workflow. */
import { Inject, Injectable, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { ApiEnv } from '@opsloop/config';
import { retryNote, RunRecord } from '@opsloop/domain';
import { LoopKindRegistry } from '@opsloop/loops';
import { DecisionRepository, RunRepository } from '@opsloop/persistence';
import { progressQuery, RunProgress } from '../../../../workflows/loop-run/messages';
import { API_ENV } from '../api-env';
import { TEMPORAL_CLIENT } from '../temporal/temporal-client.provider';
import { stageRetry } from './run-retry';
import { temporalUiRunUrl } from './temporal-ui';
import { ListRunsQuery, RunDetailDto, RunDto, toDecisionDto, toRunDto, toStepDto } from './runs.dto';

const QUERY_DEADLINE_MS = 5_000;

@Injectable()
export class RunsService {
  constructor(
    private readonly runs: RunRepository,
    private readonly decisions: DecisionRepository,
    private readonly registry: LoopKindRegistry,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(API_ENV) private readonly env: ApiEnv,
  ) {}

  async list(q: ListRunsQuery): Promise<RunDto[]> {
    const now = new Date();
    return (await this.runs.list(q)).map((r) => toRunDto(this.withDueTime(r), temporalUiRunUrl(this.env, r.workflowId), now));
  }

  async get(id: string): Promise<RunDetailDto> {
    const run = await this.runs.findById(id);
    if (!run) throw new NotFoundException(`No run with id ${id}`);
    const [steps, decisions, retrying] = await Promise.all([this.runs.steps(id), this.decisions.forRun(id), stageRetry(this.temporal, run)]);
    const dto = toRunDto(this.withDueTime(run), temporalUiRunUrl(this.env, run.workflowId), new Date());
    const statusNote = retrying ? `${dto.statusNote}; ${retryNote(retrying)}` : dto.statusNote;
    return { ...dto, statusNote, retrying, steps: steps.map(toStepDto), decisions: decisions.map(toDecisionDto) };
  }

  /**
   * A run that started measuring before due times were stored (or in the moment before its
   * hand-off stores one) gets the due time the engine uses: end of acting + the kind's window.
   */
  private withDueTime(run: RunRecord): RunRecord {
    const kind = this.registry.find(run.kind);
    if (run.status !== 'measuring' || run.outcomeDueAt || !run.actedAt || !kind) return run;
    const seconds = kind.outcomeWindowSeconds(this.registry.typedParams(run.kind, run.params));
    return seconds === null ? run : { ...run, outcomeDueAt: new Date(Date.parse(run.actedAt) + seconds * 1000).toISOString() };
  }

  async progress(id: string): Promise<RunProgress> {
    const run = await this.runs.findById(id);
    if (!run) throw new NotFoundException(`No run with id ${id}`);
    try {
      return await this.temporal.connection.withDeadline(Date.now() + QUERY_DEADLINE_MS, () =>
        this.temporal.workflow.getHandle(run.workflowId).query(progressQuery));
    } catch (err) {
      throw new ServiceUnavailableException(`Cannot query the run's workflow (${err instanceof Error ? err.message : String(err)})`);
    }
  }
}
