/**
 * Pulls rows from a CSV file under OPSLOOP_CSV_ROOT. The configured path must stay inside the
 * root after symlinks are resolved, so a source definition can never read /etc/passwd or
 * another tenant's export. Parsing, header mapping and decoding are csvRecords' job.
 */
import { createReadStream } from 'node:fs';
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import type { SourceDefinition } from '@opsloop/domain';
import type { RawRow } from '@opsloop/persistence';
import { csvRecords, CsvFormatError } from './csv-records';
import { describeError, PullSource, SourcePullError } from './pull-source';
import { csvPathProblem, parseSourceConfig } from './source-config';

export class CsvFileSource implements PullSource {
  /** `csvRoot` is OPSLOOP_CSV_ROOT; null refuses every file read with an error that says so. */
  constructor(private readonly csvRoot: string | null) {}

  async *pull(source: SourceDefinition, _secret: Record<string, unknown> | null, signal?: AbortSignal): AsyncIterable<RawRow> {
    const config = parseSourceConfig('csv', source.config);
    if (!config.path) throw new SourcePullError('csv source has no config.path: it only takes uploads', false);
    const file = await this.resolveInsideRoot(config.path);
    const input = createReadStream(file, { signal });
    try {
      yield* csvRecords(input, { delimiter: config.delimiter, encoding: config.encoding, headerMap: config.headerMap, schema: source.schema });
    } catch (err) {
      if (err instanceof CsvFormatError) throw new SourcePullError(`${config.path}: ${err.message}`, false);
      if ((err as { name?: unknown } | null)?.name === 'AbortError') throw err;
      throw new SourcePullError(`${config.path}: ${describeError(err).replace(file, config.path)}`, true);
    } finally {
      input.destroy();
    }
  }

  private async resolveInsideRoot(relative: string): Promise<string> {
    if (this.csvRoot === null) throw new SourcePullError('csv sources may not read files: OPSLOOP_CSV_ROOT is not set', false);
    const problem = csvPathProblem(relative);
    if (problem) throw new SourcePullError(`config.path ${problem}`, false);
    let root: string;
    let file: string;
    try {
      root = await realpath(this.csvRoot);
      file = await realpath(path.resolve(root, relative));
    } catch (err) {
      const code = (err as { code?: string }).code;
      // A missing file may still arrive (an export not yet dropped): worth another attempt.
      if (code === 'ENOENT') throw new SourcePullError(`${relative} does not exist under OPSLOOP_CSV_ROOT`, true);
      throw new SourcePullError(`${relative} cannot be read: ${code ?? 'unknown error'}`, false);
    }
    if (file !== root && !file.startsWith(root + path.sep)) throw new SourcePullError(`config.path ${relative} leads outside OPSLOOP_CSV_ROOT`, false);
    return file;
  }
}
