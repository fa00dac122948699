/**
 * Starts the round-trip workflow and reads back the row its activity wrote. The input passes the
 * same rule the workflow applies (roundTripInputProblems), so what the workflow would refuse is a
 * 400 here. An id is used once: resending it with the same message answers the stored row without
 * a new execution; with another message it is a 409.
 */
import {
  ConflictException, GatewayTimeoutException, Inject, Injectable, NotFoundException, ServiceUnavailableException,
} from '@nestjs/common';
import { Client, WorkflowFailedError } from '@temporalio/client';
import { ApiEnv } from '@opsloop/config';
import { RoundTripRecord, roundTripInputProblems, roundTripWorkflowId } from '@opsloop/domain';
import { RoundTripRepository } from '@opsloop/persistence';
import type { roundTripWorkflow } from '../../../../workflows/round-trip/round-trip.workflow';
import { API_ENV } from '../api-env';
import { fieldErrorsException } from '../common/validation';
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
    const problems = roundTripInputProblems(dto);
    if (problems.length > 0) throw fieldErrorsException(problems.map((p) => ({ field: p.field, messages: [p.message] })));
    const stored = await this.roundTrips.findById(dto.id);
    const record = stored ?? (await this.runWorkflow(dto));
    // A second request racing the first attaches to its execution and gets the first message back.
    if (record.message !== dto.message) throw conflict(record);
    return toRoundTripResponse(record);
  }

  async get(id: string): Promise<RoundTripResponseDto> {
    const row = await this.roundTrips.findById(id);
    if (!row) throw new NotFoundException(`No round trip with id ${id}`);
    return toRoundTripResponse(row);
  }

  private async runWorkflow(dto: StartRoundTripDto): Promise<RoundTripRecord> {
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
    return result;
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

function conflict(record: RoundTripRecord): ConflictException {
  return new ConflictException({
    statusCode: 409, error: 'Conflict',
    message: `Round trip ${record.id} was already recorded with another message; use a new id for a new message`,
    errors: [{ field: 'message', messages: [`message differs from the one recorded for id ${record.id} at ${record.recordedAt}`] }],
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}
