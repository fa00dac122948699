/**
 * `opsloop receiver [--port 9999] [--status 200]`: a local webhook receiver for trying loops out.
 * It listens on 127.0.0.1, prints every request it gets (method, path, Idempotency-Key, body) and
 * answers with the given status, so a walkthrough can show a delivered or a failed action.
 * Runs until Ctrl-C; exit 2 for bad options or a port in use.
 */
import { createServer, IncomingMessage } from 'node:http';

const USAGE = [
  'usage: opsloop receiver [--port 9999] [--status 200]',
  '  --port N       port to listen on, on 127.0.0.1 (default 9999)',
  '  --status CODE  HTTP status to answer every request with (default 200; e.g. 503 to watch an action fail)',
].join('\n');

/** Bodies are printed, not stored: a larger one is cut in the printout so a stray upload cannot flood it. */
const PRINT_LIMIT = 64 * 1024;

class UsageError extends Error {}

export async function receiverCommand(args: string[], signals: NodeJS.EventEmitter = process): Promise<number> {
  if (args.includes('--help') || args.includes('help')) return (process.stdout.write(`${USAGE}\n`), 0);
  let options: { port: number; status: number };
  try {
    options = parseOptions(args);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`opsloop receiver: ${err.message}\n${USAGE}\n`);
    return 2;
  }
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      process.stdout.write(describe(req, body));
      res.writeHead(options.status, { 'content-type': 'application/json' }).end(JSON.stringify({ received: true }));
    });
  });
  try {
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(options.port, '127.0.0.1', resolve));
  } catch (err) {
    process.stderr.write(`opsloop receiver: cannot listen on 127.0.0.1:${options.port}: ${(err as NodeJS.ErrnoException).code ?? String(err)}\n`);
    return 2;
  }
  process.stdout.write(`receiver listening on http://127.0.0.1:${options.port}/ (answers ${options.status}); Ctrl-C stops it\n`);
  await new Promise<void>((resolve) => {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) signals.once(sig, () => resolve());
  });
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return 0;
}

function parseOptions(args: string[]): { port: number; status: number } {
  const values: Record<string, number> = { '--port': 9999, '--status': 200 };
  for (let i = 0; i < args.length; i += 2) {
    const flag = args[i]!;
    if (!(flag in values)) throw new UsageError(`unknown option "${flag}"`);
    const value = Number(args[i + 1]);
    const [min, max] = flag === '--port' ? [1, 65535] : [200, 599];
    if (!Number.isInteger(value) || value < min || value > max) throw new UsageError(`${flag} must be a whole number from ${min} to ${max}`);
    values[flag] = value;
  }
  return { port: values['--port']!, status: values['--status']! };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += bytes.length;
    if (size <= PRINT_LIMIT) chunks.push(bytes);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return size > PRINT_LIMIT ? `${text}… (${size} bytes, cut at ${PRINT_LIMIT})` : text;
}

function describe(req: IncomingMessage, body: string): string {
  const key = req.headers['idempotency-key'];
  const head = `${new Date().toISOString()} ${req.method} ${req.url}${key ? `  Idempotency-Key: ${String(key)}` : ''}`;
  return `${head}\n${pretty(body)}\n`;
}

function pretty(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}
