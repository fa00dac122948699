/**
 * Keeps each scheduled loop's Temporal Schedule in step with its row: created, updated, paused,
 * resumed and deleted together with it. Callers run this inside the row's transaction, so a
 * Schedule failure rolls the row change back.
 */
import { Inject, Injectable } from '@nestjs/common';
import { Client, ScheduleNotFoundError, ScheduleOptions, ScheduleOverlapPolicy } from '@temporalio/client';
import { ApiEnv } from '@opsloop/config';
import { LoopInstance, loopScheduleId, OverlapPolicy, scheduleCatchupSeconds, scheduledRunWorkflowIdPrefix } from '@opsloop/domain';
import { loopSearchAttributes } from '@opsloop/temporal';
import { API_ENV } from '../api-env';
import { TEMPORAL_CLIENT } from '../temporal/temporal-client.provider';

const OVERLAP: Record<OverlapPolicy, ScheduleOverlapPolicy> = {
  skip: ScheduleOverlapPolicy.SKIP,
  'buffer-one': ScheduleOverlapPolicy.BUFFER_ONE,
  'allow-all': ScheduleOverlapPolicy.ALLOW_ALL,
  'cancel-other': ScheduleOverlapPolicy.CANCEL_OTHER,
};
const DEADLINE_MS = 10_000;

@Injectable()
export class LoopSchedules {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(API_ENV) private readonly env: ApiEnv,
  ) {}

  /** Creates, updates or removes the Schedule so it matches the loop. */
  async sync(loop: LoopInstance): Promise<void> {
    if (loop.trigger.type === 'event') return this.remove(loop.id);
    const options = this.options(loop);
    await this.bounded(async () => {
      const handle = this.temporal.schedule.getHandle(options.scheduleId);
      try {
        await handle.describe();
      } catch (err) {
        if (!(err instanceof ScheduleNotFoundError)) throw err;
        await this.temporal.schedule.create(options);
        return;
      }
      // Paused or not goes in the same update: the Schedule applies a pause/unpause patch before an
      // update that arrives with it, and the update's copied state would then undo the patch.
      await handle.update((previous) => ({
        ...previous, spec: options.spec, action: options.action, policies: options.policies, state: { ...previous.state, ...options.state },
      }));
    });
  }

  async remove(loopId: string): Promise<void> {
    await this.bounded(async () => {
      try {
        await this.temporal.schedule.getHandle(loopScheduleId(loopId)).delete();
      } catch (err) {
        if (!(err instanceof ScheduleNotFoundError)) throw err;
      }
    });
  }

  private options(loop: LoopInstance): ScheduleOptions {
    const trigger = loop.trigger;
    return {
      scheduleId: loopScheduleId(loop.id),
      spec: trigger.type === 'cron' ? { cronExpressions: [trigger.cron] } : { intervals: [{ every: `${trigger.type === 'interval' ? trigger.everySeconds : 0}s` }] },
      action: {
        type: 'startWorkflow',
        workflowType: 'loopRunWorkflow',
        taskQueue: this.env.TEMPORAL_TASK_QUEUE,
        workflowId: scheduledRunWorkflowIdPrefix(loop.id),
        args: [{ loopId: loop.id, trigger: 'schedule' }],
        typedSearchAttributes: loopSearchAttributes(loop),
      },
      // Explicit: what happens when a run is still going at the next fire, and how far back missed fires are made up
      // (the loop's window, capped below the gap between fires so an outage is made up by one run, not a burst).
      policies: { overlap: OVERLAP[loop.overlap], catchupWindow: `${scheduleCatchupSeconds(trigger) ?? 60} seconds`, pauseOnFailure: false },
      state: { paused: !loop.enabled, note: loop.enabled ? undefined : 'disabled through the API' },
    };
  }

  private bounded<T>(fn: () => Promise<T>): Promise<T> {
    return this.temporal.connection.withDeadline(Date.now() + DEADLINE_MS, fn);
  }
}
