/**
 * The credential-sealing key for `npm start`: OPSLOOP_SECRET_KEY, or one generated once and kept
 * in OPSLOOP_HOME, so credentials sealed by one start still open at the next. Never printed.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseSecretKey, SECRET_KEY_HINT } from '@opsloop/config';

export function resolveSecretKey(fromEnv: string | undefined, home: string): { key: string; source: string } {
  if (fromEnv) return { key: fromEnv, source: 'OPSLOOP_SECRET_KEY' };
  const file = path.join(home, 'secret-key');
  if (fs.existsSync(file)) {
    const key = fs.readFileSync(file, 'utf8').trim();
    // A damaged file must stop the start: a new key would orphan every sealed credential.
    if (!parseSecretKey(key)) throw new Error(`${file} does not hold a valid key (${SECRET_KEY_HINT}); restore it or delete it to start over`);
    return { key, source: file };
  }
  const key = randomBytes(32).toString('base64');
  fs.writeFileSync(file, key + '\n', { mode: 0o600, flag: 'wx' });
  return { key, source: `${file} (generated)` };
}
