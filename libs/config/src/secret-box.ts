/**
 * Seals credentials at rest (source connection strings, HTTP headers) with AES-256-GCM under
 * OPSLOOP_SECRET_KEY, and derives purpose-bound HMAC keys (e.g. for hashing personal fields)
 * from the same key. Errors never contain the plaintext, the sealed value or the key.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const VERSION = 'v1';

export const SECRET_KEY_HINT = 'OPSLOOP_SECRET_KEY must be 32 random bytes written as base64 or hex, e.g. `openssl rand -base64 32`';

export class SecretBoxError extends Error {
  override readonly name = 'SecretBoxError';
}

/** 64 hex digits, or base64 / base64url of exactly 32 bytes; anything else is null. */
export function parseSecretKey(value: string): Buffer | null {
  const text = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (!/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) return null;
  const bytes = Buffer.from(text, 'base64');
  return bytes.length === KEY_BYTES ? bytes : null;
}

export class SecretBox {
  private readonly sealKey: Buffer;
  /** Names the key a value was sealed with, so a changed OPSLOOP_SECRET_KEY gets a clear error. */
  private readonly keyId: string;

  constructor(private readonly key: Buffer) {
    if (key.length !== KEY_BYTES) throw new SecretBoxError(`a SecretBox key is ${KEY_BYTES} bytes, got ${key.length}`);
    // Separate derived keys: the cipher key is never the same bytes as an HMAC key.
    this.sealKey = derive(key, 'opsloop:seal:v1');
    this.keyId = derive(key, 'opsloop:key-id', 6).toString('base64url');
  }

  static fromEnv(value: string): SecretBox {
    const key = parseSecretKey(value ?? '');
    if (!key) throw new SecretBoxError(SECRET_KEY_HINT);
    return new SecretBox(key);
  }

  /** `v1.<key id>.<iv>.<tag>.<ciphertext>`, base64url parts; a fresh random IV every time. */
  seal(plain: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.sealKey, iv);
    cipher.setAAD(this.aad());
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [VERSION, this.keyId, iv, cipher.getAuthTag(), body]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  open(sealed: string): string {
    const parts = typeof sealed === 'string' ? sealed.split('.') : [];
    if (parts.length !== 5 || parts[0] !== VERSION) throw new SecretBoxError('the sealed value is malformed');
    const [, keyId, iv, tag, body] = parts as [string, string, string, string, string];
    if (!sameText(keyId, this.keyId)) {
      throw new SecretBoxError('the value was sealed with a different OPSLOOP_SECRET_KEY');
    }
    const ivBytes = Buffer.from(iv, 'base64url');
    const tagBytes = Buffer.from(tag, 'base64url');
    if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) throw new SecretBoxError('the sealed value is malformed');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.sealKey, ivBytes);
      decipher.setAAD(this.aad());
      decipher.setAuthTag(tagBytes);
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError('the sealed value failed its integrity check (tampered, or sealed with another key)');
    }
  }

  /** A 32-byte key for HMAC under one named purpose; different purposes never share a key. */
  hmacKey(purpose: string): Buffer {
    if (!purpose) throw new SecretBoxError('hmacKey needs a purpose');
    return derive(this.key, `opsloop:hmac:${purpose}`);
  }

  /** The version and key id are authenticated too, so neither can be swapped on a stored value. */
  private aad(): Buffer {
    return Buffer.from(`${VERSION}.${this.keyId}`, 'utf8');
  }
}

function derive(key: Buffer, info: string, length = KEY_BYTES): Buffer {
  return Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), info, length));
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
