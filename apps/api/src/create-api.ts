/** Builds the configured API app (not yet listening); used by main.ts and the e2e tests. */
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { ApiEnv } from '@opsloop/config';
import { ApiModule } from './api.module';
import { installBodyParsing } from './common/body-parsing';
import { knownPaths, methodNotAllowed } from './common/method-not-allowed';
import { finishDocument } from './common/openapi-document';
import { EdgeTextPipe } from './common/edge-text.pipe';
import { globalValidationPipe } from './common/validation';

export async function createApi(env: ApiEnv): Promise<INestApplication> {
  const app = await NestFactory.create(ApiModule.forRoot(env), { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  const document = setupOpenApi(app);
  app.use(methodNotAllowed(knownPaths(document, UNDOCUMENTED_ROUTES)));
  installBodyParsing(app);
  // Order matters: the text rule sees the raw input before the DTOs transform it.
  app.useGlobalPipes(new EdgeTextPipe(), globalValidationPipe());
  await app.init();
  return app;
}

/** Routes outside the document that still answer 405 rather than 404 to a method they do not take. */
const UNDOCUMENTED_ROUTES = { '/': ['GET'], '/api/docs': ['GET'], '/api/docs-json': ['GET'] };

const AUTH_HINT = 'Every /api/v1 route takes the header `Authorization: Bearer <key>`. The first admin key is OPSLOOP_ADMIN_KEY.';

function setupOpenApi(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('opsloop API')
    .setDescription(`Closed-loop operations automation. ${AUTH_HINT} Every error answers with the ErrorBodyDto schema. ` +
      'No string anywhere may hold a NUL (U+0000) or a lone UTF-16 surrogate: such input is a 400 naming the field.')
    .setVersion('1')
    // An opsloop key is an opaque secret, not a JWT: leave out the builder's default bearerFormat.
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: undefined, description: `An opsloop API key (an opaque secret, not a JWT). ${AUTH_HINT}` })
    .build();
  const document = finishDocument(SwaggerModule.createDocument(app, config));
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  return document;
}
