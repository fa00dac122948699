/**
 * The one rule for text taken in at opsloop's edges. Postgres stores no NUL (U+0000) in text or
 * jsonb, and a lone UTF-16 surrogate is not Unicode at all: the driver would swap it for U+FFFD,
 * so what is stored would differ from what was sent. Such text is refused up front, naming the
 * field, instead of failing later inside a transaction or a workflow.
 *
 * The walk is iterative and bounded in depth, so a deeply nested body is a refusal, not a stack
 * overflow.
 */
export interface TextFieldError {
  field: string;
  messages: string[];
}

/** Deeper JSON than any opsloop input needs; deeper bodies are refused rather than walked. */
export const EDGE_MAX_DEPTH = 64;
const MAX_ERRORS = 20;
// eslint-disable-next-line no-control-regex -- finding NUL is the point
const ODD_TEXT = /[\u0000\ud800-\udfff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** What is wrong with the text, or null when Postgres and the workflows take it as it is. */
export function textProblem(text: string): string | null {
  // One scan for the common case: nearly all text holds neither character range.
  if (!ODD_TEXT.test(text)) return null;
  const nul = text.indexOf('\u0000');
  if (nul >= 0) return `must not contain a NUL character (\\u0000; at character ${nul + 1})`;
  const lone = LONE_SURROGATE.exec(text);
  if (lone) return `must be valid Unicode: it holds a lone UTF-16 surrogate (\\u${lone[0].charCodeAt(0).toString(16)}; at character ${lone.index + 1})`;
  return null;
}

/** True when the text is not empty and not only (Unicode) whitespace. */
export function hasVisibleText(text: string): boolean {
  return text.trim().length > 0;
}

const join = (path: string, key: string | number) => (path === '' ? String(key) : `${path}.${key}`);

/**
 * Every string (value or object key) under `value` that `textProblem` refuses, with its path in
 * the style of the API's field errors (`payload.note`, `rows.3.sku`). `root` names the value
 * itself ('' for a whole body). Stops after a handful of errors.
 */
export function edgeTextErrors(value: unknown, root = ''): TextFieldError[] {
  const errors: TextFieldError[] = [];
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: root, depth: 0 }];
  while (stack.length > 0 && errors.length < MAX_ERRORS) {
    const { value: v, path, depth } = stack.pop()!;
    if (typeof v === 'string') {
      const problem = textProblem(v);
      if (problem) errors.push({ field: path || 'body', messages: [`${path || 'body'} ${problem}`] });
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth >= EDGE_MAX_DEPTH) {
      errors.push({ field: path || 'body', messages: [`${path || 'body'} is nested more than ${EDGE_MAX_DEPTH} levels deep`] });
      continue;
    }
    const entries: [string | number, unknown][] = Array.isArray(v) ? v.map((item, i) => [i, item]) : Object.entries(v);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, item] = entries[i]!;
      const keyProblem = typeof key === 'string' ? textProblem(key) : null;
      if (keyProblem) errors.push({ field: path || 'body', messages: [`${path || 'body'} has a key that ${keyProblem}`] });
      else stack.push({ value: item, path: join(path, key), depth: depth + 1 });
    }
  }
  return errors;
}
