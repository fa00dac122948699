/** Turns a child's pino JSON line into one readable console line; other lines pass through. */
const LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

/** The console shows it after the process's name ("[api] ..."); "last lines from api" shows it alone. */
export function readableChildLine(line: string): string {
  if (!line.startsWith('{')) return line;
  try {
    const entry = JSON.parse(line) as { level?: number; context?: string; msg?: string; err?: { message?: string }; req?: { method?: string; url?: string }; res?: { statusCode?: number }; responseTime?: number };
    const level = LEVELS[entry.level ?? 30] ?? 'info';
    const context = entry.context ? `${entry.context}: ` : '';
    const http = entry.req && entry.res ? ` ${entry.req.method} ${entry.req.url} → ${entry.res.statusCode} (${entry.responseTime} ms)` : '';
    const err = entry.err?.message ? ` — ${entry.err.message}` : '';
    return `${level.padEnd(5)} ${context}${entry.msg ?? ''}${http}${err}`;
  } catch {
    return line;
  }
}
