/**
 * Everything about a loop config that the DTO decorators cannot see: the kind exists, the policy
 * version is one of the kind's, the params fit the kind's schema, the cron parses, the webhook
 * host is allowed. Runs before any row or Schedule is written.
 */
import { Injectable } from '@nestjs/common';
import { FieldError } from '@opsloop/config';
import { OutboundHttp } from '@opsloop/connectors';
import { cronProblem, LoopConfig } from '@opsloop/domain';
import { LoopKindRegistry } from '@opsloop/loops';

@Injectable()
export class LoopConfigCheck {
  constructor(
    private readonly registry: LoopKindRegistry,
    private readonly http: OutboundHttp,
  ) {}

  /** Returns the config with the kind's defaults filled in, or the field errors. */
  async check(config: LoopConfig): Promise<{ config: LoopConfig; errors: FieldError[] }> {
    const errors: FieldError[] = [...this.triggerErrors(config), ...this.targetErrors(config)];
    const kind = this.registry.find(config.kind);
    if (!kind) {
      errors.push({ field: 'kind', messages: [`unknown loop kind "${config.kind}"; known kinds: ${this.registry.names().join(', ')}`] });
      return { config, errors };
    }
    if (!kind.policyVersions.includes(config.policyVersion)) {
      errors.push({ field: 'policyVersion', messages: [`${config.kind} has policy versions ${kind.policyVersions.join(', ')}; got "${config.policyVersion}"`] });
    }
    const params = await this.registry.checkParams(config.kind, config.params, config.policyVersion);
    if (!params.ok) return { config, errors: [...errors, ...params.errors] };
    return { config: { ...config, params: params.params }, errors };
  }

  newestPolicyVersion(kind: string): string {
    const versions = this.registry.find(kind)?.policyVersions ?? [];
    return versions[versions.length - 1] ?? '';
  }

  private triggerErrors(config: LoopConfig): FieldError[] {
    if (config.trigger.type !== 'cron') return [];
    const problem = cronProblem(config.trigger.cron, new Date());
    return problem ? [{ field: 'trigger.cron', messages: [`trigger.cron ${problem}`] }] : [];
  }

  private targetErrors(config: LoopConfig): FieldError[] {
    if (config.actionTarget.type !== 'webhook') return [];
    const problem = this.http.policy.problem(config.actionTarget.url);
    return problem ? [{ field: 'actionTarget.url', messages: [`actionTarget.url ${problem}`] }] : [];
  }
}
