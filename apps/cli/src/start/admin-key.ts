/** The admin key for `npm start`: OPSLOOP_ADMIN_KEY, or one generated once and kept in OPSLOOP_HOME. */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export function resolveAdminKey(fromEnv: string | undefined, home: string): { key: string; source: string } {
  if (fromEnv) return { key: fromEnv, source: 'OPSLOOP_ADMIN_KEY' };
  const file = path.join(home, 'admin-key');
  if (fs.existsSync(file)) return { key: fs.readFileSync(file, 'utf8').trim(), source: file };
  const key = 'olk_' + randomBytes(32).toString('base64url');
  fs.writeFileSync(file, key + '\n', { mode: 0o600 });
  return { key, source: `${file} (generated)` };
}
