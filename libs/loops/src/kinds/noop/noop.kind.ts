/**
 * A kind that does nothing at every stage, as cheaply as possible. It measures the engine's own
 * overhead (bench/engine) and lets tests drive approvals and actions without domain data.
 */
import { Type } from 'class-transformer';
import { IsInt, IsNumber, IsOptional, Max, Min } from 'class-validator';
import { DecisionDraft, Json, LoopKindHandler, OutcomeMeasure, QualityReport, RunContext } from '../../loop-kind';
import { LoopKind } from '../../loop-kind.decorator';

export class NoopParams {
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(1000)
  decisions = 1;

  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false })
  magnitude = 0;

  @IsOptional() @IsInt() @Min(0) @Max(30 * 24 * 3600)
  outcomeWindowSeconds?: number;
}

@LoopKind('noop')
export class NoopKind implements LoopKindHandler<NoopParams> {
  readonly paramsType = NoopParams;
  readonly policyVersions = ['noop@1'] as const;
  readonly description = 'Does nothing at each stage; for measuring and testing the engine';

  collect(): Promise<Json> {
    return Promise.resolve({});
  }

  assessQuality(): QualityReport {
    return { ok: true, blocking: false, checks: [] };
  }

  evaluate(): Promise<Json> {
    return Promise.resolve({});
  }

  decide(ctx: RunContext<NoopParams>) {
    return Array.from({ length: ctx.params.decisions }, (_, i) => ({
      subject: `noop-${i + 1}`,
      decision: 'noop',
      magnitude: ctx.params.magnitude,
      explanation: `no-op decision ${i + 1} of ${ctx.params.decisions}`,
      action: { index: i + 1 },
      inputs: {},
    }));
  }

  /** A no-op means nothing beyond its run: each run's decisions are their own intents. */
  intentOf(ctx: RunContext<NoopParams>, decision: DecisionDraft): string[] {
    return ['noop', ctx.runId, decision.subject];
  }

  outcomeWindowSeconds(params: NoopParams): number | null {
    return params.outcomeWindowSeconds ?? null;
  }

  measureOutcome(): Promise<OutcomeMeasure> {
    return Promise.resolve({ outcome: { measured: true }, score: 1 });
  }
}
