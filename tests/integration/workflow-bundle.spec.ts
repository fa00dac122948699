import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { bundleWorkflows } from '@opsloop/temporal';
import { startTestWorker, uniqueTaskQueue } from '../support/test-apps';

describe('workflow bundle', () => {
  it('resolves @opsloop/* lib imports from workflow code', async () => {
    const code = await bundleWorkflows();
    // The domain rule the workflow imports is compiled into the bundle, not left as a bare import.
    expect(code).toContain('roundTripInputProblems');
    expect(code).not.toMatch(/require\(["']@opsloop\/domain["']\)/);
  });

  it('runs on a real worker: the lib rule rejects bad input without retrying', async () => {
    expect(fs.existsSync(process.env.OPSLOOP_WORKFLOW_BUNDLE!)).toBe(true);
    const taskQueue = uniqueTaskQueue();
    const worker = await startTestWorker({ TEMPORAL_TASK_QUEUE: taskQueue });
    const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS });
    try {
      const client = new Client({ connection });
      const run = client.workflow.execute('roundTripWorkflow', {
        taskQueue,
        workflowId: `bundle-check-${randomUUID()}`,
        args: [{ id: 'not-a-uuid', message: '' }],
      });
      const failure = await run.then(() => null, (e: unknown) => e);
      expect(failure).toBeInstanceOf(WorkflowFailedError);
      expect(String((failure as WorkflowFailedError).cause?.message)).toMatch(/id must be a UUID; message must be a non-empty string/);
    } finally {
      await connection.close();
      await worker.close();
    }
  });
});
