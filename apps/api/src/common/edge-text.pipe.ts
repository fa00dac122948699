/**
 * The edge rule for text, applied once for every route: each string in a JSON body, query or
 * path parameter (keys included, at any depth) must be text Postgres can store, or the request
 * is a 400 naming the field. Runs before the validation pipe, so DTOs need no decorator for it.
 */
import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { edgeTextErrors } from '@opsloop/domain';
import { fieldErrorsException } from './validation';

@Injectable()
export class EdgeTextPipe implements PipeTransform {
  transform(value: unknown, meta: ArgumentMetadata): unknown {
    // Custom parameters (@Req and the like) are not request input a handler stores as given.
    if (meta.type === 'custom') return value;
    const errors = edgeTextErrors(value, meta.data ?? '');
    if (errors.length > 0) throw fieldErrorsException(errors);
    return value;
  }
}
