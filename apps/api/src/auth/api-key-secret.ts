/**
 * API key secrets. Keys are 32 random bytes, so a fast SHA-256 is enough to store them:
 * slow password hashes guard low-entropy secrets, and would only slow down every request here.
 */
import { createHash, randomBytes } from 'node:crypto';

const PREFIX = 'olk_';

export function generateApiKey(): string {
  return PREFIX + randomBytes(32).toString('base64url');
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Enough to recognise a key in a list, far too little to use it. */
export function displayPrefix(key: string): string {
  return key.slice(0, Math.min(8, Math.floor(key.length / 3)));
}

export function parseBearer(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : null;
}
