/** Builds the context a kind's stage sees from a stored run. */
import { LoopKindRegistry, RunContext } from '@opsloop/loops';
import { RunRecord } from '@opsloop/domain';

export function runContext(registry: LoopKindRegistry, run: RunRecord): RunContext<object> {
  return {
    runId: run.id,
    loopId: run.loopId,
    kind: run.kind,
    mode: run.mode,
    policyVersion: run.policyVersion,
    params: registry.typedParams(run.kind, run.params),
    approval: run.approval,
    trigger: run.trigger,
    event: run.event,
    startedAt: run.startedAt,
  };
}
