/**
 * Hosts the Temporal worker inside the Nest context: starts it after bootstrap and, on shutdown,
 * drains in-flight tasks before closing the connection.
 */
import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { NativeConnection, Worker } from '@temporalio/worker';
import { WorkerEnv } from '@opsloop/config';
import { connectWorker, installRuntimeOnce, workflowSource } from '@opsloop/temporal';
import { ACTIVITIES } from './activities/activities.provider';
import { WORKER_ENV } from './worker-env';


@Injectable()
export class TemporalWorkerHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private connection?: NativeConnection;
  private worker?: Worker;
  private running?: Promise<void>;

  constructor(
    @Inject(WORKER_ENV) private readonly env: WorkerEnv,
    @Inject(ACTIVITIES) private readonly activities: object,
    private readonly log: PinoLogger,
  ) {
    log.setContext(TemporalWorkerHost.name);
  }

  async onApplicationBootstrap(): Promise<void> {
    installRuntimeOnce(this.env.LOG_LEVEL);
    this.connection = await connectWorker(this.env.TEMPORAL_ADDRESS, {
      onRetry: (err, n) => this.log.warn({ attempt: n, err: String(err) }, 'Temporal not reachable yet'),
    });
    this.worker = await Worker.create({
      connection: this.connection,
      namespace: this.env.TEMPORAL_NAMESPACE,
      taskQueue: this.env.TEMPORAL_TASK_QUEUE,
      activities: this.activities,
      maxConcurrentActivityTaskExecutions: this.env.WORKER_MAX_CONCURRENT_ACTIVITIES,
      shutdownGraceTime: '10 seconds',
      ...workflowSource(this.env.OPSLOOP_WORKFLOW_BUNDLE),
    });
    this.running = this.worker.run();
    this.running.catch((err) => {
      // A worker that stopped on its own cannot recover in-process: let the supervisor restart us.
      this.log.fatal({ err }, 'Temporal worker stopped unexpectedly');
      process.exitCode = 1;
      process.kill(process.pid, 'SIGTERM');
    });
    this.log.info({ taskQueue: this.env.TEMPORAL_TASK_QUEUE, namespace: this.env.TEMPORAL_NAMESPACE }, 'worker running');
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.worker && this.worker.getState() === 'RUNNING') this.worker.shutdown();
    await this.running?.catch(() => undefined);
    await this.connection?.close();
    this.log.info('worker drained and disconnected');
  }
}
