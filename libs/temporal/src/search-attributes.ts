/** Custom search attributes opsloop registers on its namespace (runs are found by loop, kind, mode). */
import { defineSearchAttributeKey, SearchAttributePair, SearchAttributeType } from '@temporalio/common';

export const SEARCH_ATTRIBUTES = {
  OpsloopLoopId: 'Keyword',
  OpsloopKind: 'Keyword',
  OpsloopMode: 'Keyword',
} as const;

/** `--search-attribute Name=Type` flags for `temporal server start-dev`. */
export function searchAttributeFlags(): string[] {
  return Object.entries(SEARCH_ATTRIBUTES).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]);
}

const LOOP_ID = defineSearchAttributeKey('OpsloopLoopId', SearchAttributeType.KEYWORD);
const KIND = defineSearchAttributeKey('OpsloopKind', SearchAttributeType.KEYWORD);
const MODE = defineSearchAttributeKey('OpsloopMode', SearchAttributeType.KEYWORD);

/** The typed search attributes every run of a loop carries, so runs are found by loop, kind and mode. */
export function loopSearchAttributes(loop: { id: string; kind: string; mode: string }): SearchAttributePair[] {
  return [
    { key: LOOP_ID, value: loop.id },
    { key: KIND, value: loop.kind },
    { key: MODE, value: loop.mode },
  ];
}
