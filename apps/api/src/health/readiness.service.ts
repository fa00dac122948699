/** Checks each dependency separately, so /health/ready says which one is down. */
import { Inject, Injectable } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { checkTemporal, withTimeout } from '@opsloop/temporal';
import { TEMPORAL_CLIENT } from '../temporal/temporal-client.provider';

export interface DependencyStatus {
  status: 'up' | 'down';
  latencyMs: number;
  error?: string;
}

export interface Readiness {
  status: 'ok' | 'error';
  checks: { postgres: DependencyStatus; temporal: DependencyStatus };
}

const CHECK_TIMEOUT_MS = 2_000;

@Injectable()
export class ReadinessService {
  constructor(
    private readonly ds: DataSource,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
  ) {}

  async check(): Promise<Readiness> {
    const [postgres, temporal] = await Promise.all([
      timed(() => this.pingPostgres()),
      timed(() => checkTemporal(this.temporal, CHECK_TIMEOUT_MS)),
    ]);
    const ok = postgres.status === 'up' && temporal.status === 'up';
    return { status: ok ? 'ok' : 'error', checks: { postgres, temporal } };
  }

  private async pingPostgres(): Promise<void> {
    const runner = this.ds.createQueryRunner();
    try {
      await withTimeout(runner.query('SELECT 1'), CHECK_TIMEOUT_MS, 'postgres ping');
    } finally {
      await runner.release();
    }
  }
}

async function timed(fn: () => Promise<unknown>): Promise<DependencyStatus> {
  const started = Date.now();
  try {
    await fn();
    return { status: 'up', latencyMs: Date.now() - started };
  } catch (err) {
    return { status: 'down', latencyMs: Date.now() - started, error: errorText(err) };
  }
}

function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  // Connection errors can echo a URL; never let credentials reach a response.
  return text.replace(/\/\/[^@\s/]+@/g, '//[redacted]@');
}
