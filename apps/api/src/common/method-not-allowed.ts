/**
 * A known path asked with a method it does not take answers 405 with an `Allow` header (RFC 9110),
 * and OPTIONS answers 204 with the same header; unknown paths still fall through to 404. The
 * known paths and their methods come from the OpenAPI document, so both say the same.
 */
import type { NextFunction, Request, Response } from 'express';
import type { OpenAPIObject } from '@nestjs/swagger';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

interface PathMethods {
  pattern: RegExp;
  methods: string[];
}

/** `/api/v1/loops/{id}` → a pattern for the request path; Express matches paths case-insensitively, with an optional trailing slash. */
function templatePattern(template: string): RegExp {
  const escaped = template.split(/\{[^}]+\}/).map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('[^/]+')}/?$`, 'i');
}

export function knownPaths(document: Pick<OpenAPIObject, 'paths'>, extra: Record<string, string[]> = {}): PathMethods[] {
  const declared = Object.entries(document.paths).map(([template, item]) => ({
    template,
    methods: HTTP_METHODS.filter((m) => m in item).map((m) => m.toUpperCase()),
  }));
  const others = Object.entries(extra).map(([template, methods]) => ({ template, methods }));
  return [...declared, ...others].map(({ template, methods }) => ({ pattern: templatePattern(template), methods }));
}

/** The methods a path takes (HEAD wherever GET is), or null for a path no route has. */
export function allowedMethods(paths: PathMethods[], path: string): string[] | null {
  const methods = new Set(paths.filter((p) => p.pattern.test(path)).flatMap((p) => p.methods));
  if (methods.size === 0) return null;
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}

export function methodNotAllowed(paths: PathMethods[]) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const allowed = allowedMethods(paths, req.path);
    if (!allowed || allowed.includes(req.method)) return next();
    res.setHeader('Allow', allowed.join(', '));
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    res.status(405).json({ statusCode: 405, error: 'Method Not Allowed', message: `${req.method} is not allowed on ${req.path}; use ${allowed.join(', ')}` });
  };
}
