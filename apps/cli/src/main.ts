/** The `opsloop` command: `npm run -s opsloop -- <command>`. */
import 'reflect-metadata';
import { auditCommand } from './commands/audit';
import { forecastCommand } from './commands/forecast';
import { receiverCommand } from './commands/receiver';
import { simulateCommand } from './commands/simulate';
import { startCommand } from './commands/start';

const COMMANDS: Record<string, { run: (args: string[]) => Promise<number>; help: string }> = {
  start: { run: () => startCommand(), help: 'bring up Postgres, Temporal, the worker and the API (npm start)' },
  audit: { run: (args) => auditCommand(args), help: 'audit verify: check the ledger hash chain' },
  forecast: { run: (args) => forecastCommand(args), help: 'forecast < request.json: point forecasts and intervals for one series or an array' },
  simulate: { run: (args) => simulateCommand(args), help: 'simulate replenishment --scenario FILE [--trace FILE|-]: opsloop vs static min/max' },
  receiver: { run: (args) => receiverCommand(args), help: 'receiver [--port 9999] [--status 200]: print the webhooks a loop sends (127.0.0.1)' },
};

function usage(): string {
  return ['usage: opsloop <command> [options]', '', 'commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(12)} ${c.help}`)].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help') {
    process.stdout.write(usage() + '\n');
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`opsloop: unknown command "${name}"\n${usage()}\n`);
    return 2;
  }
  return command.run(args);
}

/**
 * Resolves once everything written to the stream so far has been handed to the OS. Through a pipe
 * Node writes asynchronously, so exiting before this cut the output at the pipe's 64 KiB buffer.
 */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.destroyed || !stream.writable) return Promise.resolve();
  // Writes complete in order: the callback of an empty write runs after every earlier one.
  return new Promise((resolve) => stream.write('', () => resolve()));
}

/** Exit only after stdout and stderr are flushed; exit at all, even if a handle is left open. */
async function finish(code: number): Promise<never> {
  process.exitCode = code;
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
}

// A reader that goes away (`| head`) is not an error of the command: stop quietly.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

main(process.argv.slice(2)).then(
  (code) => finish(code),
  (err: unknown) => {
    process.stderr.write(`opsloop: ${err instanceof Error ? err.message : String(err)}\n`);
    return finish(1);
  },
);
