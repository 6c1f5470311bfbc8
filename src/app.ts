import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import type { PGlite } from '@electric-sql/pglite';
import type { Orm } from './config/database';
import { Logger } from 'nestjs-pino';
import cookieParser from 'cookie-parser';
import compression from 'compression';
import { ASSETS_DIR } from './web/pages';
import { AppModule } from './app.module';
import { buildDocument } from './openapi';
import { ServiceSecret } from './identity/secret';
import { globalValidationPipe } from './common/validation';
import type { AppConfig } from './config/config';

const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** A JSON body may not carry keys that reach an object's prototype: refused as malformed. */
function refusePrototypeKeys(key: string, value: unknown): unknown {
  if (PROTOTYPE_KEYS.has(key)) throw new SyntaxError(`the key "${key}" is not allowed`);
  return value;
}

/** Builds the HTTP application on an open database; the caller listens (or tests it with supertest). */
export async function createApp(config: AppConfig, orm: Orm, pglite: PGlite | null): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, orm, pglite), {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.useBodyParser('json', { limit: '1mb', reviver: refusePrototypeKeys });
  app.useBodyParser('urlencoded', { limit: '100kb', extended: false });
  app.use(cookieParser(app.get(ServiceSecret).key.toString('hex')));
  app.useGlobalPipes(globalValidationPipe());
  app.set('query parser', 'simple');
  app.use(compression());
  // The pages' styles, fonts and scripts; each address carries a digest of its file, so it is kept for good.
  app.useStaticAssets(ASSETS_DIR, { prefix: '/assets/', immutable: true, maxAge: '365d', index: false });
  app.disable('x-powered-by');
  // process.exit after the hooks, so the last log lines are flushed before the process ends
  app.enableShutdownHooks(undefined, { useProcessExit: true });

  const document = buildDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json' });
  await app.init();
  return app;
}
