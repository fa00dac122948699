/**
 * Path and query parameters read the way the document declares them: uuids checked as uuids,
 * integers only from plain digits (Number() would take "", "1e3" or "0x10"), date-times as
 * instants Postgres can store, and every refusal a 400 naming the parameter.
 */
import { applyDecorators, Param, PipeTransform } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { Matches } from 'class-validator';
import { fieldErrorsException } from './validation';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function uuidPipe(name: string): PipeTransform<string, string> {
  return {
    transform: (value) => {
      if (UUID.test(value)) return value;
      throw fieldErrorsException([{ field: name, messages: [`${name} must be a UUID`] }]);
    },
  };
}

/** `@UuidParam() id` / `@UuidParam('batchId') batchId`: a path parameter that must be a UUID, documented as one. */
export function UuidParam(name = 'id'): ParameterDecorator {
  return (target, key, index) => {
    Param(name, uuidPipe(name))(target, key!, index);
    const method = (target as Record<string | symbol, unknown>)[key!];
    ApiParam({ name, type: String, format: 'uuid' })(target, key!, { value: method });
  };
}

const INTEGER = /^-?\d{1,16}$/;

/** The largest integer a parameter takes: past it a JavaScript number loses digits. */
export const MAX_INT_PARAM = Number.MAX_SAFE_INTEGER;

/**
 * For integer query fields: turns plain digits into a number and leaves anything else as it came,
 * so `@IsInt()` refuses it by name.
 */
export const ToInt = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' && INTEGER.test(value) ? Number(value) : value));

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;
const UTC_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const YEAR_ONE = Date.parse('0001-01-01T00:00:00Z');

/** The instant as `toISOString()` gives it, or the value unchanged when it is not an RFC 3339 date-time from year 1 on. */
function toInstant(value: unknown): unknown {
  if (typeof value !== 'string' || !DATE_TIME.test(value)) return value;
  const ms = Date.parse(value);
  return Number.isFinite(ms) && ms >= YEAR_ONE ? new Date(ms).toISOString() : value;
}

/**
 * An RFC 3339 date-time (format date-time), handed on in UTC. Postgres refuses some offsets and
 * years that ISO 8601 allows (+19:25, year 0), so the instant is normalised before it gets there.
 */
export const IsInstant = () => applyDecorators(
  Transform(({ value }: { value: unknown }) => toInstant(value)),
  Matches(UTC_INSTANT, { message: '$property must be an ISO 8601 date-time with a time zone, such as 2025-05-01T00:00:00Z' }),
);
