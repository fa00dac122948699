/**
 * The worker is ready when Temporal sees it polling the task queue: a fact, not a log line.
 * Temporal keeps listing a poller for a while after its process died, so a restarted worker is
 * recognised by its identity, which the SDK derives from the process id ("<pid>@<host>").
 */
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { pollUntil } from './poll-until';

export async function waitForWorkerPoller(
  address: string,
  namespace: string,
  taskQueue: string,
  timeoutMs: number,
  abort: Promise<unknown>,
  pid?: number,
): Promise<void> {
  // Connected on first use, so that a Temporal still coming up is waited for like a missing poller.
  let connection: Connection | undefined;
  const probe = async (): Promise<true | string> => {
    connection ??= await Connection.connect({ address, connectTimeout: 2_000 });
    const res = await connection.workflowService.describeTaskQueue({
      namespace,
      taskQueue: { name: taskQueue },
      taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    });
    const pollers = (res.pollers ?? []).filter((p) => pid === undefined || (p.identity ?? '').startsWith(`${pid}@`));
    return pollers.length > 0 ? true : 'no pollers yet';
  };
  try {
    await pollUntil(probe, { what: `no worker polls task queue ${taskQueue}`, timeoutMs, abort });
  } finally {
    await connection?.close();
  }
}
