/** Reads README.md as a reader does: a section under its heading, its shell blocks, and the JSON the commands print. */

/** The text under a `##`/`###` heading, up to the next heading of any level. */
export function readmeSection(readme: string, heading: string): string {
  const start = readme.search(new RegExp(`^#{2,3} ${heading.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`, 'm'));
  if (start < 0) throw new Error(`README has no section "${heading}"`);
  const rest = readme.slice(readme.indexOf('\n', start) + 1);
  const end = rest.search(/^#{1,3} /m);
  return end < 0 ? rest : rest.slice(0, end);
}

/** The contents of its ```sh blocks, in order. */
export function shellBlocks(text: string): string[] {
  return [...text.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}

/**
 * The JSON values in what a series of commands printed: `curl -s` prints bodies without a
 * newline, so `{...}{...}` is two values; jq's pretty output spans lines.
 */
export function jsonValues(text: string): unknown[] {
  const values: unknown[] = [];
  let i = 0;
  while (i < text.length) {
    if (/\s/.test(text[i]!)) {
      i++;
      continue;
    }
    const end = valueEnd(text, i);
    values.push(JSON.parse(text.slice(i, end)));
    i = end;
  }
  return values;
}

/** Index just past the value starting at `start`: brackets are matched outside strings. */
function valueEnd(text: string, start: number): number {
  if (text[start] !== '{' && text[start] !== '[') {
    const m = /^("(?:[^"\\]|\\.)*"|[^\s{["]+)/.exec(text.slice(start));
    return start + (m ? m[0].length : 1);
  }
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if ((c === '}' || c === ']') && --depth === 0) return i + 1;
  }
  throw new Error(`unterminated JSON value from offset ${start}: ${text.slice(start, start + 200)}`);
}
