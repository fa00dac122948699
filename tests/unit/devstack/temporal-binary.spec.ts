import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cachedCliPath, locateTemporalCli } from '@opsloop/devstack';

function fakeBinary(dir: string, name = 'temporal'): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  fs.writeFileSync(file, '#!/bin/sh\n', { mode: 0o755 });
  return file;
}

describe('locating the temporal CLI', () => {
  let tmp: string;
  beforeEach(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'opsloop-cli-'))));
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('prefers TEMPORAL_CLI_PATH over PATH and the cache', () => {
    const explicit = fakeBinary(path.join(tmp, 'explicit'));
    fakeBinary(path.join(tmp, 'bin'));
    fakeBinary(path.dirname(cachedCliPath(path.join(tmp, 'cache'))));
    const found = locateTemporalCli({ cliPath: explicit, pathEnv: path.join(tmp, 'bin'), cacheDir: path.join(tmp, 'cache') });
    expect(found).toEqual({ path: explicit, source: 'TEMPORAL_CLI_PATH' });
  });

  it('uses PATH before the cache', () => {
    const onPath = fakeBinary(path.join(tmp, 'bin'));
    fakeBinary(path.dirname(cachedCliPath(path.join(tmp, 'cache'))));
    expect(locateTemporalCli({ pathEnv: path.join(tmp, 'bin'), cacheDir: path.join(tmp, 'cache') })).toEqual({ path: onPath, source: 'PATH' });
  });

  it('falls back to the cache outside the repo', () => {
    const cached = fakeBinary(path.dirname(cachedCliPath(path.join(tmp, 'cache'))));
    expect(locateTemporalCli({ pathEnv: path.join(tmp, 'empty'), cacheDir: path.join(tmp, 'cache') })).toEqual({ path: cached, source: 'cache' });
  });

  it('returns null for the SDK download when nothing is found and Go may not build', () => {
    expect(locateTemporalCli({ pathEnv: path.join(tmp, 'empty'), cacheDir: path.join(tmp, 'cache'), allowGoBuild: false })).toBeNull();
  });

  it('rejects a TEMPORAL_CLI_PATH that is not an executable, naming the variable', () => {
    fs.writeFileSync(path.join(tmp, 'not-exec'), 'x', { mode: 0o644 });
    expect(() => locateTemporalCli({ cliPath: path.join(tmp, 'not-exec') })).toThrow(/TEMPORAL_CLI_PATH/);
  });
});
