/** Global guard: every route needs a valid API key whose role reaches the route's minimum. */
import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiKey, Role, roleAllows } from '@opsloop/domain';
import { ApiKeyRepository } from '@opsloop/persistence';
import { hashApiKey, parseBearer } from './api-key-secret';
import { IS_PUBLIC, MIN_ROLE } from './roles.decorator';

export interface AuthenticatedRequest {
  headers: Record<string, string | undefined>;
  apiKey?: ApiKey;
}

@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeyRepository,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const required = this.reflector.getAllAndOverride<Role>(MIN_ROLE, targets) ?? 'admin';

    const req = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
    const secret = parseBearer(req.headers.authorization);
    if (!secret) throw new UnauthorizedException('Missing API key: send "Authorization: Bearer <key>"');

    const key = await this.lookup(secret);
    if (!key) throw new UnauthorizedException('Invalid or revoked API key');
    if (!roleAllows(key.role, required)) {
      throw new ForbiddenException({
        statusCode: 403, error: 'Forbidden', requiredRole: required, message: `This route needs the ${required} role or higher; this key has ${key.role}`,
      });
    }
    req.apiKey = key;
    return true;
  }

  private async lookup(secret: string): Promise<ApiKey | null> {
    try {
      return await this.keys.findActiveByHash(hashApiKey(secret));
    } catch {
      throw new ServiceUnavailableException('Cannot check the API key: Postgres is unavailable');
    }
  }
}
