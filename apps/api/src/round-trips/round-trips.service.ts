/** Starts the round-trip workflow and reads back the row its activity wrote. */
import { GatewayTimeoutException, Inject, Injectable, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { Client, WorkflowFailedError } from '@temporalio/client';
import { ApiEnv } from '@opsloop/config';
import { roundTripWorkflowId } from '@opsloop/domain';
import { RoundTripRepository } from '@opsloop/persistence';
import type { roundTripWorkflow } from '../../../../workflows/round-trip/round-trip.workflow';
import { API_ENV } from '../api-env';
import { TEMPORAL_CLIENT } from '../temporal/temporal-client.provider';
import { RoundTripResponseDto, StartRoundTripDto, toRoundTripResponse } from './round-trips.dto';

const WAIT_FOR_RESULT_MS = 30_000;
const START_DEADLINE_MS = 5_000;

@Injectable()
export class RoundTripsService {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    @Inject(API_ENV) private readonly env: ApiEnv,
    private readonly roundTrips: RoundTripRepository,
  ) {}

  async start(dto: StartRoundTripDto): Promise<RoundTripResponseDto> {
    const handle = await this.startWorkflow(dto);
    const result = await Promise.race([
      handle.result(),
      sleep(WAIT_FOR_RESULT_MS).then(() => null),
    ]).catch((err: unknown) => {
      if (err instanceof WorkflowFailedError) throw new ServiceUnavailableException(`Round trip failed: ${err.cause?.message ?? err.message}`);
      throw err;
    });
    if (!result) {
      throw new GatewayTimeoutException(`Workflow ${handle.workflowId} did not finish within ${WAIT_FOR_RESULT_MS / 1000}s; is a worker running on task queue ${this.env.TEMPORAL_TASK_QUEUE}?`);
    }
    return toRoundTripResponse(result);
  }

  async get(id: string): Promise<RoundTripResponseDto> {
    const row = await this.roundTrips.findById(id);
    if (!row) throw new NotFoundException(`No round trip with id ${id}`);
    return toRoundTripResponse(row);
  }

  private async startWorkflow(dto: StartRoundTripDto) {
    try {
      // Bounded, so a Temporal outage answers 503 quickly instead of retrying for a minute.
      return await this.temporal.connection.withDeadline(Date.now() + START_DEADLINE_MS, () =>
        this.temporal.workflow.start<typeof roundTripWorkflow>('roundTripWorkflow', {
          workflowId: roundTripWorkflowId(dto.id),
          taskQueue: this.env.TEMPORAL_TASK_QUEUE,
          args: [{ id: dto.id, message: dto.message }],
          // A duplicate request attaches to the run in flight instead of failing.
          workflowIdConflictPolicy: 'USE_EXISTING',
        }),
      );
    } catch (err) {
      throw new ServiceUnavailableException(`Cannot start the workflow: Temporal is unavailable (${err instanceof Error ? err.message : String(err)})`);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}
