/**
 * Records a run that could not open. Without it an event whose run failed in `openRun` left no
 * trace in /runs, and Temporal's record of the failed execution was the only sign it arrived.
 */
import { Injectable } from '@nestjs/common';
import { LoopRepository, newRunOf, RunRepository } from '@opsloop/persistence';
import type { LoopRunActivities, LoopRunInput } from '../../../../workflows/loop-run/contract';

@Injectable()
export class RunStartFailureActivities implements Pick<LoopRunActivities, 'recordStartFailure'> {
  constructor(
    private readonly loops: LoopRepository,
    private readonly runs: RunRepository,
  ) {}

  async recordStartFailure(input: LoopRunInput & { workflowId: string }, error: string): Promise<void> {
    // A deleted loop has nothing to hang the run on; a resent event gets its 404 from the API.
    const loop = await this.loops.findById(input.loopId);
    if (!loop) return;
    await this.runs.recordFailedStart(newRunOf(loop, input.workflowId, input.trigger, input.event ?? null), `the run could not start: ${error}`);
  }
}
