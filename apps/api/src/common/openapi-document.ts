/**
 * Final touches on the generated OpenAPI document, for what @nestjs/swagger cannot say itself:
 * a request body whose schema differs by media type, request objects that refuse unknown fields
 * (the global ValidationPipe runs with forbidNonWhitelisted, so they really do), and bodies that
 * may be left out (a missing JSON body reads as {}, which is valid where no field is required).
 */
import { ApiExtension, OpenAPIObject } from '@nestjs/swagger';
import type { OperationObject, ReferenceObject, RequestBodyObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

const BODY_BY_MEDIA_TYPE = 'x-opsloop-body-by-media-type';
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

type Schema = SchemaObject | ReferenceObject;

/** A request body with one schema per media type (ApiBody gives every media type the same one). */
export const ApiBodyByMediaType = (description: string, content: Record<string, { schema: Schema; example?: unknown }>) =>
  ApiExtension(BODY_BY_MEDIA_TYPE, { required: true, description, content } satisfies RequestBodyObject);

export function finishDocument(document: OpenAPIObject): OpenAPIObject {
  for (const operation of operations(document)) {
    const extensions = operation as OperationObject & { [BODY_BY_MEDIA_TYPE]?: RequestBodyObject };
    const body = extensions[BODY_BY_MEDIA_TYPE];
    if (!body) continue;
    operation.requestBody = body;
    delete extensions[BODY_BY_MEDIA_TYPE];
  }
  closeRequestSchemas(document);
  markOptionalBodies(document);
  return document;
}

function operations(document: OpenAPIObject): OperationObject[] {
  return Object.values(document.paths).flatMap((item) => METHODS.map((m) => item[m]).filter((op): op is OperationObject => op !== undefined));
}

function markOptionalBodies(document: OpenAPIObject): void {
  for (const op of operations(document)) {
    const body = op.requestBody as RequestBodyObject | undefined;
    const schema = body?.content?.['application/json']?.schema;
    if (!body || !schema) continue;
    const target = '$ref' in schema ? document.components?.schemas?.[schema.$ref.replace('#/components/schemas/', '')] : schema;
    if (target && !('$ref' in target) && target.type === 'object' && !target.required?.length) body.required = false;
  }
}

/** Every component schema a JSON request body reaches gets `additionalProperties: false`. */
function closeRequestSchemas(document: OpenAPIObject): void {
  const schemas = document.components?.schemas ?? {};
  const pending: Schema[] = operations(document).flatMap((op) => {
    const body = op.requestBody as RequestBodyObject | undefined;
    const json = body?.content?.['application/json']?.schema;
    return json ? [json] : [];
  });
  const closed = new Set<string>();
  while (pending.length > 0) {
    const schema = pending.pop()!;
    if ('$ref' in schema) {
      const name = schema.$ref.replace('#/components/schemas/', '');
      const target = schemas[name];
      if (closed.has(name) || !target || '$ref' in target) continue;
      closed.add(name);
      if (target.properties) target.additionalProperties = false;
      pending.push(target);
      continue;
    }
    pending.push(...Object.values(schema.properties ?? {}), ...(schema.allOf ?? []), ...(schema.oneOf ?? []), ...(schema.anyOf ?? []));
    if (schema.items) pending.push(schema.items);
  }
}
