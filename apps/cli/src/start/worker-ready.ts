/** The worker is ready when Temporal sees it polling the task queue: a fact, not a log line. */
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { pollUntil } from './poll-until';

export async function waitForWorkerPoller(
  address: string,
  namespace: string,
  taskQueue: string,
  timeoutMs: number,
  abort: Promise<unknown>,
): Promise<void> {
  const connection = await Connection.connect({ address });
  const probe = async (): Promise<true | string> => {
    const res = await connection.workflowService.describeTaskQueue({
      namespace,
      taskQueue: { name: taskQueue },
      taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    });
    return (res.pollers ?? []).length > 0 ? true : 'no pollers yet';
  };
  try {
    await pollUntil(probe, { what: `no worker polls task queue ${taskQueue}`, timeoutMs, abort });
  } finally {
    await connection.close();
  }
}
