/** `@Actor() key`: the API key the guard checked for this request; who a change is recorded against. */
import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ApiKey } from '@opsloop/domain';
import type { AuthenticatedRequest } from './api-key.guard';

export const Actor = createParamDecorator((_data: unknown, ctx: ExecutionContext): ApiKey => {
  const key = ctx.switchToHttp().getRequest<AuthenticatedRequest>().apiKey;
  // The global guard sets it on every route that needs a key; a route without one has no actor.
  if (!key) throw new Error('@Actor() used on a route the API key guard did not check');
  return key;
});
