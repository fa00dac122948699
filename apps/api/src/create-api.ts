/** Builds the configured API app (not yet listening); used by main.ts and the e2e tests. */
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { ApiEnv } from '@opsloop/config';
import { ApiModule } from './api.module';
import { installBodyParsing } from './common/body-parsing';
import { EdgeTextPipe } from './common/edge-text.pipe';
import { globalValidationPipe } from './common/validation';

export async function createApi(env: ApiEnv): Promise<INestApplication> {
  const app = await NestFactory.create(ApiModule.forRoot(env), { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  installBodyParsing(app);
  // Order matters: the text rule sees the raw input before the DTOs transform it.
  app.useGlobalPipes(new EdgeTextPipe(), globalValidationPipe());
  setupOpenApi(app);
  await app.init();
  return app;
}

function setupOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('opsloop API')
    .setDescription('Closed-loop operations automation. Every /api/v1 route takes "Authorization: Bearer <key>".')
    .setVersion('1')
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}
