/**
 * Nest binding of the ObservationIngest port for the API and the worker: the personal-field
 * hasher is HMAC-SHA256 under SecretBox's 'personal-fields' key, and the listeners are every
 * provider bound to IngestListener in the application, looked up at each commit.
 */
import { createHmac } from 'node:crypto';
import { FactoryProvider } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { SecretBox } from '@opsloop/config';
import type { PersonalHasher } from '@opsloop/domain';
import { IngestListener } from '../ingest-listener';
import { ObservationIngest } from './observation-ingest';
import { TypeOrmObservationIngest } from './typeorm-observation-ingest';

/** Personal values repeat (the same customer, many rows): a per-batch memo saves most HMACs. */
const HASH_MEMO_LIMIT = 10_000;

export function personalHasher(key: Buffer): PersonalHasher {
  const memo = new Map<string, string>();
  return (value) => {
    let hash = memo.get(value);
    if (hash === undefined) {
      hash = createHmac('sha256', key).update(value, 'utf8').digest('hex');
      if (memo.size >= HASH_MEMO_LIMIT) memo.clear();
      memo.set(value, hash);
    }
    return hash;
  };
}

export function boundIngestListeners(refs: ModuleRef): IngestListener[] {
  try {
    return refs.get(IngestListener, { strict: false, each: true });
  } catch {
    return []; // nothing bound: no derived data to refresh
  }
}

export const observationIngestProvider: FactoryProvider<ObservationIngest> = {
  provide: ObservationIngest,
  inject: [DataSource, SecretBox, ModuleRef],
  useFactory: (ds: DataSource, box: SecretBox, refs: ModuleRef) => {
    const key = box.hmacKey('personal-fields');
    return new TypeOrmObservationIngest(ds, { hasher: () => personalHasher(key), listeners: () => boundIngestListeners(refs) });
  },
};
