/** A loop with an interval trigger runs by itself through its Temporal Schedule, until it is deleted. */
import { Client, Connection, ScheduleNotFoundError } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { loopScheduleId, scheduledRunWorkflowIdPrefix } from '@opsloop/domain';
import { createLoop, EngineFixture, getRun, RunDetail, startEngine } from '../../support/engine-fixture';
import { eventually } from '../../support/eventually';

type RunRow = { id: string; workflowId: string; trigger: string; status: string; kind: string; mode: string; temporalUiUrl: string };

const LOOP_ID = defineSearchAttributeKey('OpsloopLoopId', SearchAttributeType.KEYWORD);
const KIND = defineSearchAttributeKey('OpsloopKind', SearchAttributeType.KEYWORD);
const MODE = defineSearchAttributeKey('OpsloopMode', SearchAttributeType.KEYWORD);

describe('scheduled loop runs', () => {
  let f: EngineFixture;
  let connection: Connection;
  let temporal: Client;

  beforeAll(async () => {
    f = await startEngine();
    connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
    temporal = new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
  });
  afterAll(async () => {
    await connection.close();
    await f.close();
  });

  async function completedScheduledRuns(loopId: string): Promise<RunRow[]> {
    const res = await f.api.http().get(`/api/v1/runs?loopId=${loopId}`).set(f.admin);
    return (res.body as RunRow[]).filter((r) => r.trigger === 'schedule' && r.status === 'completed');
  }

  it('fires a scheduled instance on its own, records each run with its steps, and stops when the loop is deleted', async () => {
    const loop = await createLoop(f, { name: 'every two seconds', kind: 'noop', mode: 'live', trigger: { type: 'interval', everySeconds: 2 } });
    let deleteStatus: number;
    try {
      expect(loop).toMatchObject({ actionTarget: { type: 'record' }, scheduleId: loopScheduleId(loop.id) });
      const runs = await eventually(async () => {
        const done = await completedScheduledRuns(loop.id);
        return done.length >= 2 ? done : undefined;
      }, 'two completed scheduled runs', 30_000);

      for (const run of runs.slice(0, 2)) {
        expect(run).toMatchObject({ kind: 'noop', mode: 'live' });
        expect(run.workflowId.startsWith(scheduledRunWorkflowIdPrefix(loop.id))).toBe(true);
        expect(run.temporalUiUrl).toContain(`/workflows/${encodeURIComponent(run.workflowId)}`);
        const detail: RunDetail = await getRun(f, run.id);
        expect(detail.steps.filter((s) => s.status === 'completed').map((s) => s.stage)).toEqual(['collect', 'quality', 'evaluate', 'decide', 'act']);
        expect(detail.decisions.map((d) => [d.decision, d.actionStatus])).toEqual([['noop', 'succeeded']]);
      }
      expect(new Set(runs.map((r) => r.workflowId)).size).toBe(runs.length);

      const described = await temporal.workflow.getHandle(runs[0]!.workflowId).describe();
      expect(described.typedSearchAttributes.get(LOOP_ID)).toBe(loop.id);
      expect(described.typedSearchAttributes.get(KIND)).toBe('noop');
      expect(described.typedSearchAttributes.get(MODE)).toBe('live');
    } finally {
      // Whatever happened above, the Schedule must not keep firing after this spec.
      deleteStatus = (await f.api.http().delete(`/api/v1/loops/${loop.id}`).set(f.admin)).status;
      if (deleteStatus !== 204) await temporal.schedule.getHandle(loopScheduleId(loop.id)).delete().catch(() => undefined);
    }
    expect(deleteStatus).toBe(204);
    await expect(temporal.schedule.getHandle(loopScheduleId(loop.id)).describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
    expect((await f.api.http().get(`/api/v1/loops/${loop.id}`).set(f.admin)).status).toBe(404);
  });
});
