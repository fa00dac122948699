/** Custom search attributes opsloop registers on its namespace (runs are found by loop, kind, mode). */
export const SEARCH_ATTRIBUTES = {
  OpsloopLoopId: 'Keyword',
  OpsloopKind: 'Keyword',
  OpsloopMode: 'Keyword',
} as const;

/** `--search-attribute Name=Type` flags for `temporal server start-dev`. */
export function searchAttributeFlags(): string[] {
  return Object.entries(SEARCH_ATTRIBUTES).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]);
}
