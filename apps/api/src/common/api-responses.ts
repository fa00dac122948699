/**
 * What a route answers, declared in one place: its success status and body, and the error
 * statuses it can really give, every one with the same error body. `Responds` also sets the
 * route's status code, so the document and the server cannot drift apart.
 */
import { applyDecorators, HttpCode } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { Role, ROLES } from '@opsloop/domain';

export class FieldErrorDto {
  @ApiProperty({ example: 'limit', description: 'the field, with a dotted path inside the body (trigger.cron)' }) field!: string;
  @ApiProperty({ type: [String], example: ['limit must be an integer number'] }) messages!: string[];
}

/** The body of every 4xx and 5xx answer. */
export class ErrorBodyDto {
  @ApiProperty({ type: 'integer', example: 400 }) statusCode!: number;
  @ApiProperty({ example: 'Bad Request' }) error!: string;
  @ApiProperty({ example: 'Validation failed' }) message!: string;
  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'validation failures (400): each field that was wrong, and why' })
  errors?: FieldErrorDto[];
  @ApiPropertyOptional({ enum: ROLES, description: '403: the lowest role that may do this' })
  requiredRole?: Role;
}

export type SuccessStatus = 200 | 201 | 202 | 204;
export type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 502 | 503 | 504;
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- a DTO class, as @nestjs/swagger takes it
type Model = Function;
/** A DTO class, a one-element array for a list of them, or null for no body (204). */
export type ResponseBody = Model | [Model] | null;
/** An error status, optionally with its own description, or a body that adds fields to the error body. */
export type ErrorDoc = ErrorStatus | { status: ErrorStatus; description?: string; extends?: Model };

const ERROR_DESCRIPTIONS: Record<ErrorStatus, string> = {
  400: 'The input is invalid: `errors` names each field and why (or the body is not valid JSON)',
  401: 'No API key, or an unknown or revoked one: send `Authorization: Bearer <key>`',
  403: "The key's role is below the role this route needs",
  404: 'No such resource',
  405: 'The path exists but does not take this method; `Allow` lists the methods it takes',
  409: 'The request conflicts with the current state (the message says how)',
  413: 'The body is larger than the limit',
  415: 'The body has a media type or encoding this route does not read',
  422: 'The input was read but refused as a whole (the message says why)',
  502: 'An outside system answered in a way a retry cannot fix',
  503: 'A dependency (Postgres, Temporal or an outside system) is unavailable; retrying later may work',
  504: 'The workflow did not finish in time',
};

const errorRef = { $ref: getSchemaPath(ErrorBodyDto) };

function errorResponse(doc: ErrorDoc): MethodDecorator {
  const { status, description, extends: extra } = typeof doc === 'number' ? { status: doc, description: undefined, extends: undefined } : doc;
  const schema = extra ? { allOf: [errorRef, { $ref: getSchemaPath(extra) }] } : errorRef;
  const models = extra ? [ErrorBodyDto, extra] : [ErrorBodyDto];
  return applyDecorators(ApiExtraModels(...models), ApiResponse({ status, description: description ?? ERROR_DESCRIPTIONS[status], schema }));
}

/** Error statuses shared by many routes; each route adds the ones it can really give. */
export const ApiErrors = (...errors: ErrorDoc[]) => applyDecorators(...errors.map(errorResponse));

function successResponse(status: SuccessStatus, body: ResponseBody): MethodDecorator {
  if (body === null) return ApiResponse({ status, description: 'Done; no body' });
  const [model, isArray] = Array.isArray(body) ? [body[0], true] : [body, false];
  return ApiResponse({ status, type: model, isArray, description: 'Success' });
}

/**
 * `@Responds(200, LoopResponseDto, 400, 404)`: the route answers 200 with a LoopResponseDto, and
 * may answer 400 or 404 with the error body. The success status becomes the route's status code.
 */
export function Responds(status: SuccessStatus, body: ResponseBody, ...errors: ErrorDoc[]): MethodDecorator {
  return applyDecorators(HttpCode(status), successResponse(status, body), ApiErrors(...errors));
}
