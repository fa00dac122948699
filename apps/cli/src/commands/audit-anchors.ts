/**
 * Where `audit verify` finds the ledger's anchors and the key that checks them: the variables the
 * apps use, else what `npm start` keeps in OPSLOOP_HOME (.opsloop/anchors, .opsloop/secret-key).
 */
import fs from 'node:fs';
import path from 'node:path';
import { anchorMac, parseSecretKey } from '@opsloop/config';
import { AnchorDirectory, AnchorSource, anchorSourceFrom } from '@opsloop/persistence';

export type AnchorSetup = { source: AnchorSource; dir: string } | { source: null; why: string };

export function anchorSetup(env: NodeJS.ProcessEnv = process.env): AnchorSetup {
  const home = path.resolve(env.OPSLOOP_HOME || '.opsloop');
  const dir = path.resolve(env.OPSLOOP_ANCHOR_DIR || path.join(home, 'anchors'));
  const secret = env.OPSLOOP_SECRET_KEY || readKeyFile(path.join(home, 'secret-key'));
  if (!env.OPSLOOP_ANCHOR_KEY && !secret) {
    return { source: null, why: 'anchors not checked: set OPSLOOP_ANCHOR_KEY or OPSLOOP_SECRET_KEY (the key the worker signs anchors with)' };
  }
  if (env.OPSLOOP_ANCHOR_KEY && !parseSecretKey(env.OPSLOOP_ANCHOR_KEY)) return { source: null, why: 'anchors not checked: OPSLOOP_ANCHOR_KEY is not 32 bytes as base64 or hex' };
  if (secret && !parseSecretKey(secret)) return { source: null, why: 'anchors not checked: OPSLOOP_SECRET_KEY is not 32 bytes as base64 or hex' };
  const mac = anchorMac({ OPSLOOP_SECRET_KEY: secret ?? '', OPSLOOP_ANCHOR_KEY: env.OPSLOOP_ANCHOR_KEY || undefined });
  return { source: anchorSourceFrom(new AnchorDirectory(dir), mac), dir };
}

function readKeyFile(file: string): string | undefined {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : undefined;
}
