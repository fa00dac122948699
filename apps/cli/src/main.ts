/** The `opsloop` command: `npm run -s opsloop -- <command>`. */
import 'reflect-metadata';
import { auditCommand } from './commands/audit';
import { forecastCommand } from './commands/forecast';
import { simulateCommand } from './commands/simulate';
import { startCommand } from './commands/start';

const COMMANDS: Record<string, { run: (args: string[]) => Promise<number>; help: string }> = {
  start: { run: () => startCommand(), help: 'bring up Postgres, Temporal, the worker and the API (npm start)' },
  audit: { run: (args) => auditCommand(args), help: 'audit verify: check the ledger hash chain' },
  forecast: { run: (args) => forecastCommand(args), help: 'forecast < request.json: point forecasts and intervals for one series or an array' },
  simulate: { run: (args) => simulateCommand(args), help: 'simulate replenishment --scenario FILE [--trace FILE]: opsloop vs static min/max' },
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

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`opsloop: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
