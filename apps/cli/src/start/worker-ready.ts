/** The worker is ready when Temporal sees it polling the task queue: a fact, not a log line. */
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

export async function waitForWorkerPoller(
  address: string,
  namespace: string,
  taskQueue: string,
  timeoutMs: number,
  abort: Promise<unknown>,
): Promise<void> {
  let aborted = false;
  void abort.then(() => (aborted = true));
  const connection = await Connection.connect({ address });
  try {
    const deadline = Date.now() + timeoutMs;
    while (!aborted && Date.now() < deadline) {
      const res = await connection.workflowService.describeTaskQueue({
        namespace,
        taskQueue: { name: taskQueue },
        taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
      });
      if ((res.pollers ?? []).length > 0) return;
      await new Promise((r) => setTimeout(r, 300));
    }
    throw new Error(aborted ? 'a process exited during start-up' : `no worker polls task queue ${taskQueue} after ${timeoutMs} ms`);
  } finally {
    await connection.close();
  }
}
