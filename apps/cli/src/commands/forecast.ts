/**
 * `opsloop forecast`: reads one forecast request (or an array of them) as JSON on stdin and prints
 * `{method, point, lower, upper}` for each, in the same shape and order. Exit 0 on success, 2 for
 * input that is not valid JSON or not a valid request (the message names the field).
 */
import { checkForecastBatch, checkForecastRequest, forecastBatch, ForecastInputError, ForecastResult } from '@opsloop/analytics';

const USAGE = [
  'usage: opsloop forecast < request.json',
  '  stdin: {"values": number[], "horizon": int, "seasonPeriod"?: int, "method"?: "auto" | <name>, "level"?: 0.8 | 0.95}',
  '         or an array of those; prints {"method","point","lower","upper"} for each, in the same order',
].join('\n');

class BadInput extends Error {}

export async function forecastCommand(args: string[], stdin: NodeJS.ReadableStream = process.stdin): Promise<number> {
  if (args.includes('--help') || args.includes('help')) return (process.stdout.write(`${USAGE}\n`), 0);
  if (args.length > 0) return fail(`unexpected argument "${args[0]}"`);
  if ((stdin as { isTTY?: boolean }).isTTY) return fail('expected a JSON request on stdin');
  try {
    const output = answer(parse(await readAll(stdin)));
    process.stdout.write(`${JSON.stringify(output)}\n`);
    return 0;
  } catch (err) {
    if (err instanceof ForecastInputError || err instanceof BadInput) return fail(err.message);
    throw err;
  }
}

type Printed = Pick<ForecastResult, 'method' | 'point' | 'lower' | 'upper'>;

function answer(input: unknown): Printed | Printed[] {
  const printed = ({ method, point, lower, upper }: ForecastResult): Printed => ({ method, point, lower, upper });
  // Validate the whole input first, so a bad last request costs no forecasting.
  if (Array.isArray(input)) return forecastBatch(checkForecastBatch(input)).map(printed);
  return printed(forecastBatch([checkForecastRequest(input)])[0]);
}

function parse(text: string): unknown {
  if (text.trim() === '') throw new BadInput('expected a JSON request on stdin, got nothing');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new BadInput(`stdin is not valid JSON: ${(err as Error).message}`);
  }
}

async function readAll(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function fail(problem: string): number {
  process.stderr.write(`opsloop forecast: ${problem}\n${USAGE}\n`);
  return 2;
}
