/**
 * The few API calls the demo makes, as a user's script would: the public HTTP API with the admin
 * key, nothing behind its back. Any answer other than the expected one is an error naming the
 * call and what the API said.
 */
export interface BatchReport {
  batchId: string;
  status: 'accepted' | 'partial' | 'rejected';
  rowsReceived: number;
  rowsWritten: number;
  rowsDuplicate: number;
  rowsQuarantined: number;
  problems: { row: number; field: string | null; reason: string }[];
}

export class DemoApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export class DemoApi {
  constructor(
    private readonly baseUrl: string,
    private readonly adminKey: string,
    private readonly signal?: AbortSignal,
  ) {}

  get<T>(path: string): Promise<T> {
    return this.call<T>('GET', path);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>('POST', path, JSON.stringify(body), 'application/json');
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>('PATCH', path, JSON.stringify(body), 'application/json');
  }

  /** One NDJSON batch; a batch with any refused row is an error (the demo's rows are all valid). */
  async pushRows(sourceId: string, rows: readonly object[]): Promise<BatchReport> {
    const body = rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
    const report = await this.call<BatchReport>('POST', `/api/v1/sources/${sourceId}/observations`, body, 'application/x-ndjson');
    if (report.status !== 'accepted' || report.rowsQuarantined > 0) {
      const first = report.problems.slice(0, 3).map((p) => `row ${p.row}${p.field ? ` ${p.field}` : ''}: ${p.reason}`).join('; ');
      throw new Error(`batch ${report.batchId} was ${report.status} with ${report.rowsQuarantined} rows quarantined: ${first}`);
    }
    return report;
  }

  private async call<T>(method: string, path: string, body?: string, contentType?: string): Promise<T> {
    const res = await fetch(this.baseUrl + path, {
      method,
      body,
      signal: this.signal,
      headers: { Authorization: `Bearer ${this.adminKey}`, ...(contentType ? { 'Content-Type': contentType } : {}) },
    });
    const text = await res.text();
    if (!res.ok) throw new DemoApiError(res.status, `${method} ${path} answered ${res.status}: ${text.slice(0, 600)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }
}
