/** `@LoopKind('name')` marks an injectable provider as the implementation of one loop kind. */
import { applyDecorators, Injectable, SetMetadata } from '@nestjs/common';

export const LOOP_KIND_METADATA = 'opsloop:loop-kind';
export const LOOP_KIND_NAME = /^[a-z][a-z0-9-]{1,62}$/;

export function LoopKind(name: string): ClassDecorator {
  if (!LOOP_KIND_NAME.test(name)) throw new Error(`Loop kind name "${name}" must be lower-case words joined by dashes`);
  return applyDecorators(Injectable(), SetMetadata(LOOP_KIND_METADATA, name));
}
