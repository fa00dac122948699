/** The few REST calls the bench makes, with the admin key; a non-2xx answer throws with its body. */
export class ApiClient {
  constructor(readonly baseUrl: string, private readonly key: string) {}

  async call<T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.key}`, ...(body === undefined ? {} : { 'content-type': contentType }) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 2000)}`);
    return (text ? JSON.parse(text) : null) as T;
  }

  /** One push batch as NDJSON; answers the batch report. */
  push(sourceId: string, rows: readonly object[]): Promise<{ status: string; rowsWritten: number; rowsQuarantined: number }> {
    const ndjson = rows.map((r) => JSON.stringify(r)).join('\n');
    return this.call('POST', `/api/v1/sources/${sourceId}/observations`, ndjson, 'application/x-ndjson');
  }
}
