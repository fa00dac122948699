/**
 * Writes `config` ledger entries: every change to a loop, source, metric definition or API key,
 * with the key that made it and the redacted diff, in the same transaction as the change; and,
 * in their own, the loosening attempts that were refused for want of a role.
 */
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { ApiKey, ConfigActor, ConfigChangeFacts, configEntry, ConfigRefusal } from '@opsloop/domain';
import { LedgerRepository } from '@opsloop/persistence';

/** What a change callback returns: its result, and the facts of what it changed (null: nothing). */
export interface AuditedChange<T, S = unknown> {
  result: T;
  facts: ConfigChangeFacts<S> | null;
}

export function actorOf(key: ApiKey): ConfigActor {
  return { keyId: key.id, name: key.name, role: key.role };
}

@Injectable()
export class ConfigAudit {
  constructor(private readonly ledger: LedgerRepository) {}

  /**
   * Runs `change` in a transaction and appends its entry in that same transaction, so the change
   * and its record commit together or not at all. An update that changed nothing records nothing.
   */
  change<T, S>(actor: ApiKey, change: (tx: EntityManager) => Promise<AuditedChange<T, S>>): Promise<T> {
    return this.ledger.withEntry(async (tx) => {
      const { result, facts } = await change(tx);
      const entry = facts && configEntry(randomUUID(), facts, actorOf(actor));
      const changedNothing = entry && facts.action !== 'create' && (entry.body.changes as unknown[]).length === 0;
      return { result, entry: changedNothing ? null : entry };
    });
  }

  /** Records an attempt that was refused and changed nothing: what was tried, by whom, and why not. */
  async refused<S>(actor: ApiKey, facts: ConfigChangeFacts<S>, refusal: ConfigRefusal): Promise<void> {
    await this.ledger.append(configEntry(randomUUID(), facts, actorOf(actor), refusal));
  }
}
