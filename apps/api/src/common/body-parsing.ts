/**
 * JSON body parsing with JSON errors. Nest's built-in parser lets Express answer a malformed body
 * with an HTML page; API clients get a JSON 400 (or 413) that says what was wrong instead.
 * Observation pushes are left unparsed: their handler streams the body (up to a million rows).
 */
import { NextFunction, Request, Response, json, urlencoded } from 'express';
import { INestApplication } from '@nestjs/common';

interface BodyParserError extends Error {
  status?: number;
  type?: string;
}

/** Routes whose handler reads the raw request stream itself. */
const STREAMED_BODIES = [/^\/api\/v1\/sources\/[^/]+\/observations\/?$/];

export function isStreamedBody(req: Request): boolean {
  return req.method === 'POST' && STREAMED_BODIES.some((route) => route.test(req.path));
}

export function installBodyParsing(app: INestApplication, limit = '10mb'): void {
  const parsers = [json({ limit }), urlencoded({ extended: false, limit })];
  for (const parse of parsers) app.use((req: Request, res: Response, next: NextFunction) => (isStreamedBody(req) ? next() : parse(req, res, next)));
  app.use((err: BodyParserError, _req: Request, res: Response, next: NextFunction) => {
    if (!err || typeof err.status !== 'number') return next(err);
    const status = err.status;
    const message =
      err.type === 'entity.parse.failed'
        ? `Malformed JSON body: ${err.message}`
        : err.type === 'entity.too.large'
          ? `Request body exceeds the ${limit} limit`
          : err.message;
    res.status(status).json({ statusCode: status, error: res.statusMessage || 'Bad Request', message });
  });
}
