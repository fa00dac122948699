/**
 * SecretBox seals credentials at rest: what it seals opens only under the same key and only
 * untouched, and a bad OPSLOOP_SECRET_KEY stops the process with a message that never echoes it.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiEnv, EnvValidationError, parseSecretKey, SecretBox, SecretBoxError, validateEnv, WorkerEnv } from '@opsloop/config';
import { resolveSecretKey } from '../../../apps/cli/src/start/secret-key';

const CONNECTION = JSON.stringify({ connectionString: 'postgres://reader:s3cr3t-pw@db.internal:5432/sales' });
const newBox = () => new SecretBox(randomBytes(32));

/** Flips one bit in the base64url part `index` of a sealed value. */
function flipBit(sealed: string, index: number): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[index]!, 'base64url');
  bytes[0] = bytes[0]! ^ 0x01;
  parts[index] = bytes.toString('base64url');
  return parts.join('.');
}

describe('SecretBox', () => {
  it('opens what it sealed, including non-ASCII text', () => {
    const box = newBox();
    expect(box.open(box.seal(CONNECTION))).toBe(CONNECTION);
    expect(box.open(box.seal('pässwörd ✓'))).toBe('pässwörd ✓');
    expect(box.open(box.seal(''))).toBe('');
  });

  it('never shows the plaintext in the sealed value, and seals the same text differently each time', () => {
    const box = newBox();
    const a = box.seal(CONNECTION);
    const b = box.seal(CONNECTION);
    expect(a).not.toBe(b);
    expect(a).not.toContain('s3cr3t-pw');
    expect(Buffer.from(a.split('.')[4]!, 'base64url').toString('utf8')).not.toContain('s3cr3t-pw');
  });

  it.each([
    ['the IV', 2],
    ['the authentication tag', 3],
    ['the ciphertext', 4],
  ])('refuses a value whose %s was changed', (_, index) => {
    const box = newBox();
    const tampered = flipBit(box.seal(CONNECTION), index);
    expect(() => box.open(tampered)).toThrow(SecretBoxError);
    expect(() => box.open(tampered)).toThrow(/integrity check/);
  });

  it('refuses a value sealed under another key, saying so', () => {
    const sealed = newBox().seal(CONNECTION);
    expect(() => newBox().open(sealed)).toThrow(/different OPSLOOP_SECRET_KEY/);
  });

  it('refuses another key even when the key id is forged to match', () => {
    const mine = newBox();
    const theirs = newBox().seal(CONNECTION).split('.');
    theirs[1] = mine.seal('x').split('.')[1]!;
    expect(() => mine.open(theirs.join('.'))).toThrow(/integrity check/);
  });

  it('refuses malformed values without echoing them', () => {
    const box = newBox();
    for (const bad of ['', 'not sealed', 'v2.a.b.c.d', 'v1.a.b.c', `v1.${'x'.repeat(8)}.AAAA.AAAA.AAAA`]) {
      expect(() => box.open(bad)).toThrow(SecretBoxError);
    }
    try {
      box.open('v1.leaky-part.x.y.z');
    } catch (err) {
      expect((err as Error).message).not.toContain('leaky-part');
    }
  });

  it('derives a stable HMAC key per purpose, different across purposes and keys', () => {
    const key = randomBytes(32);
    const one = new SecretBox(key);
    const again = new SecretBox(Buffer.from(key));
    expect(one.hmacKey('personal-fields')).toEqual(again.hmacKey('personal-fields'));
    expect(one.hmacKey('personal-fields')).toHaveLength(32);
    expect(one.hmacKey('personal-fields')).not.toEqual(one.hmacKey('other'));
    expect(one.hmacKey('personal-fields')).not.toEqual(newBox().hmacKey('personal-fields'));
    expect(one.hmacKey('personal-fields')).not.toEqual(key);
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => new SecretBox(randomBytes(16))).toThrow(/32 bytes/);
  });
});

describe('OPSLOOP_SECRET_KEY', () => {
  const key = randomBytes(32);

  it('accepts 32 bytes as hex, base64 or base64url, and they mean the same key', () => {
    const forms = [key.toString('hex'), key.toString('base64'), key.toString('base64url')];
    for (const form of forms) expect(parseSecretKey(form)).toEqual(key);
    const sealed = SecretBox.fromEnv(forms[0]!).seal(CONNECTION);
    expect(SecretBox.fromEnv(forms[1]!).open(sealed)).toBe(CONNECTION);
    expect(SecretBox.fromEnv(forms[2]!).open(sealed)).toBe(CONNECTION);
  });

  it.each([
    ['too short', randomBytes(16).toString('base64')],
    ['too long', randomBytes(48).toString('hex')],
    ['a passphrase', 'correct horse battery staple correct horse'],
    ['empty', ''],
  ])('refuses a key that is %s', (_, value) => {
    expect(parseSecretKey(value)).toBeNull();
    expect(() => SecretBox.fromEnv(value)).toThrow(/32 random bytes/);
  });

  const base = { DATABASE_URL: 'postgres://u:pw@db:5432/opsloop', TEMPORAL_ADDRESS: 'temporal:7233', OPSLOOP_ADMIN_KEY: 'a-very-long-admin-key-123' };

  function problems(schema: new () => object, env: Record<string, string>): Record<string, string[]> {
    try {
      validateEnv(schema, env);
    } catch (err) {
      expect(err).toBeInstanceOf(EnvValidationError);
      return Object.fromEntries((err as EnvValidationError).problems.map((p) => [p.variable, p.messages]));
    }
    return {};
  }

  it('is required by the API and the worker, which start with a valid one', () => {
    expect(problems(ApiEnv, base).OPSLOOP_SECRET_KEY?.[0]).toMatch(/32 random bytes written as base64 or hex/);
    expect(problems(WorkerEnv, base).OPSLOOP_SECRET_KEY).toBeDefined();
    expect(validateEnv(ApiEnv, { ...base, OPSLOOP_SECRET_KEY: key.toString('base64') }).OPSLOOP_SECRET_KEY).toBe(key.toString('base64'));
    expect(problems(WorkerEnv, { ...base, OPSLOOP_SECRET_KEY: key.toString('hex') })).toEqual({});
  });

  it('stops start-up on an invalid key without echoing it', () => {
    const leaked = 'my-guessable-passphrase';
    try {
      validateEnv(ApiEnv, { ...base, OPSLOOP_SECRET_KEY: leaked });
      throw new Error('expected validation to fail');
    } catch (err) {
      expect((err as Error).message).toMatch(/OPSLOOP_SECRET_KEY: .*32 random bytes/);
      expect((err as Error).message).not.toContain(leaked);
    }
  });
});

describe('npm start secret key', () => {
  let home: string;
  beforeEach(() => (home = fs.mkdtempSync(path.join(os.tmpdir(), 'opsloop-secret-'))));
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  it('generates a valid key on first start, keeps it private in OPSLOOP_HOME, and reuses it after', () => {
    const first = resolveSecretKey(undefined, home);
    const file = path.join(home, 'secret-key');
    expect(first.source).toBe(`${file} (generated)`);
    expect(parseSecretKey(first.key)).not.toBeNull();
    expect(fs.statSync(file).mode & 0o077).toBe(0);
    const second = resolveSecretKey(undefined, home);
    expect(second).toEqual({ key: first.key, source: file });
  });

  it('prefers OPSLOOP_SECRET_KEY and then writes nothing', () => {
    const key = randomBytes(32).toString('hex');
    expect(resolveSecretKey(key, home)).toEqual({ key, source: 'OPSLOOP_SECRET_KEY' });
    expect(fs.existsSync(path.join(home, 'secret-key'))).toBe(false);
  });

  it('stops on a damaged key file instead of replacing it, naming the file but not its content', () => {
    fs.writeFileSync(path.join(home, 'secret-key'), 'half-a-key\n');
    expect(() => resolveSecretKey(undefined, home)).toThrow(/secret-key does not hold a valid key/);
    expect(() => resolveSecretKey(undefined, home)).not.toThrow(/half-a-key/);
    expect(fs.readFileSync(path.join(home, 'secret-key'), 'utf8')).toBe('half-a-key\n');
  });
});
