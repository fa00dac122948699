/**
 * The csv-file pull connector: files under a temporary OPSLOOP_CSV_ROOT, parser options (delimiter,
 * encoding, header map), paths that try to leave the root, and a collect through the API.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CsvFileSource, SourcePullError } from '@opsloop/connectors';
import { startTestApi, TestApi } from '../../support/test-apps';
import { collectRows, createSource, inMemorySource, rejection } from './pull-fixtures';

describe('csv file source', () => {
  let base: string;
  let root: string;
  let outside: string;
  let csv: CsvFileSource;
  const pull = (config: Record<string, unknown>, source = csv) => collectRows(source.pull(inMemorySource('csv', config), null));

  beforeAll(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'opsloop-csv-'));
    root = path.join(base, 'root');
    outside = path.join(base, 'outside');
    fs.mkdirSync(path.join(root, 'exports'), { recursive: true });
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(root, 'exports', 'plain.csv'), 'series,ts,value\ncpu.eu,2024-05-01T10:00:00Z,91.5\ncpu.us,2024-05-01T10:00:00Z,40\n');
    // Semicolons, German headers and latin1 bytes (ü is one byte, 0xFC), as spreadsheet exports come.
    fs.writeFileSync(path.join(root, 'exports', 'lager.csv'), Buffer.from('Reihe;Zeitpunkt;Wert\nMünchen;2024-05-01T10:00:00Z;12\n', 'latin1'));
    fs.writeFileSync(path.join(root, 'utf16.csv'), Buffer.from('series,ts,value\nkiosk,2024-05-01T10:00:00Z,3\n', 'utf16le'));
    fs.writeFileSync(path.join(outside, 'secret.csv'), 'series,ts,value\nleak,2024-05-01T10:00:00Z,1\n');
    fs.symlinkSync(path.join(outside, 'secret.csv'), path.join(root, 'link.csv'));
    csv = new CsvFileSource(root);
  });
  afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

  it('reads a file under the root into numbered rows', async () => {
    expect(await pull({ path: 'exports/plain.csv' })).toEqual([
      { row: 1, values: { series: 'cpu.eu', ts: '2024-05-01T10:00:00Z', value: '91.5' } },
      { row: 2, values: { series: 'cpu.us', ts: '2024-05-01T10:00:00Z', value: '40' } },
    ]);
  });

  it('applies the delimiter, encoding and header map', async () => {
    const rows = await pull({ path: 'exports/lager.csv', delimiter: ';', encoding: 'latin1', headerMap: { Reihe: 'series', Zeitpunkt: 'ts', Wert: 'value' } });
    expect(rows).toEqual([{ row: 1, values: { series: 'München', ts: '2024-05-01T10:00:00Z', value: '12' } }]);
    expect(await pull({ path: 'utf16.csv', encoding: 'utf-16le' })).toEqual([{ row: 1, values: { series: 'kiosk', ts: '2024-05-01T10:00:00Z', value: '3' } }]);
  });

  it('fails on a header that does not match the schema, naming the columns, without retrying', async () => {
    const err = await rejection(pull({ path: 'exports/lager.csv', delimiter: ';', encoding: 'latin1' }));
    expect(err).toBeInstanceOf(SourcePullError);
    expect(err.message).toMatch(/^exports\/lager\.csv: .*Reihe/);
    expect((err as SourcePullError).retryable).toBe(false);
  });

  it.each([
    ['../outside/secret.csv', 'config.path must not contain ".." segments'],
    ['/etc/passwd', 'config.path must be relative to OPSLOOP_CSV_ROOT'],
    ['link.csv', 'config.path link.csv leads outside OPSLOOP_CSV_ROOT'],
  ])('refuses %s, which would leave the root', async (file, message) => {
    const err = await rejection(pull({ path: file }));
    expect(err.message).toBe(message);
    expect((err as SourcePullError).retryable).toBe(false);
  });

  it('says a missing file may still arrive, and that an unset root refuses every read', async () => {
    const missing = await rejection(pull({ path: 'exports/tomorrow.csv' }));
    expect(missing.message).toBe('exports/tomorrow.csv does not exist under OPSLOOP_CSV_ROOT');
    expect((missing as SourcePullError).retryable).toBe(true);
    const unset = await rejection(pull({ path: 'exports/plain.csv' }, new CsvFileSource(null)));
    expect(unset.message).toBe('csv sources may not read files: OPSLOOP_CSV_ROOT is not set');
  });

  describe('through the API', () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await startTestApi({ OPSLOOP_CSV_ROOT: root });
    });
    afterAll(() => api.close());

    it('collects the file into observations', async () => {
      const source = await createSource(api, { kind: 'csv', config: { path: 'exports/plain.csv' } });
      const res = await api.http().post(`/api/v1/sources/${source.id}/collect`).set({ Authorization: `Bearer ${api.adminKey}` });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'accepted', rowsReceived: 2, rowsWritten: 2 });
    });

    it('refuses a source whose path escapes the root, naming the field', async () => {
      const res = await api.http().post('/api/v1/sources').set({ Authorization: `Bearer ${api.adminKey}` })
        .send({ name: 'escape', kind: 'csv', schema: { fields: [{ name: 'ts', type: 'timestamp' }], uniqueKey: ['ts'], timeField: 'ts', seriesKey: [] }, config: { path: '../outside/secret.csv' } });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field: 'config.path', messages: ['config.path must not contain ".." segments'] }]);
    });
  });
});
