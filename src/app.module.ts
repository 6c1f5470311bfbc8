import { randomUUID } from 'node:crypto';
import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { PGlite } from '@electric-sql/pglite';
import type { Orm } from './config/database';
import { LoggerModule } from 'nestjs-pino';
import { destination, type DestinationStream } from 'pino';
import type { Options } from 'pino-http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApplicationsModule } from './applications/applications.module';
import { CallsModule } from './calls/calls.module';
import { CORRELATION_HEADER, GlobalExceptionFilter, REFUSAL_TIME_ZONE } from './common/exception.filter';
import { redactRequest, redactResponse } from './common/log-redaction';
import { AppConfig } from './config/config';
import { DatabaseModule } from './config/database.module';
import { DisbursementsModule } from './disbursements/disbursements.module';
import { EngineModule } from './engine/engine.module';
import { WorkflowHttpModule } from './workflow-http/workflow-http.module';
import { HealthModule } from './health/health.module';
import { IdentityModule } from './identity/identity.module';
import { LedgerModule } from './ledger/ledger.module';
import { NotificationsModule } from './notifications/notifications.module';
import { AccessModule } from './access/access.module';
import { OrganisationsModule } from './organisations/organisations.module';
import { ReportsModule } from './reports/reports.module';
import { ReviewsModule } from './reviews/reviews.module';
import { WebModule } from './web/web.module';

function correlationId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers[CORRELATION_HEADER];
  const id = typeof given === 'string' && /^[\w.:-]{1,100}$/.test(given) ? given : randomUUID();
  res.setHeader(CORRELATION_HEADER, id);
  return id;
}

function logOptions(config: AppConfig): Options | [Options, DestinationStream] {
  const options: Options = {
    level: config.LOG_LEVEL,
    genReqId: correlationId,
    // on every line logged while serving the request, not only the request's own line
    customProps: (req) => ({ correlationId: String(req.id) }),
    // Secrets out of every URL, query and header logged, on every route: see log-redaction.ts.
    serializers: { req: redactRequest, res: redactResponse },
    autoLogging: { ignore: (req) => req.url?.startsWith('/health') ?? false },
  };
  // Written synchronously, so the file holds every line logged so far at any moment.
  return config.LOG_FILE ? [options, destination({ dest: config.LOG_FILE, sync: true, mkdir: true })] : options;
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, orm: Orm, pglite: PGlite | null): DynamicModule {
    return {
      module: AppModule,
      imports: [
        LoggerModule.forRoot({ pinoHttp: logOptions(config) }),
        {
          module: ConfigHolder,
          global: true,
          providers: [{ provide: AppConfig, useValue: config }],
          exports: [AppConfig],
        },
        DatabaseModule.forOrm(orm, pglite),
        HealthModule,
        AccessModule,
        IdentityModule,
        OrganisationsModule,
        EngineModule,
        WorkflowHttpModule,
        CallsModule,
        ApplicationsModule,
        DisbursementsModule,
        LedgerModule,
        ReportsModule,
        ReviewsModule,
        NotificationsModule,
        WebModule,
      ],
      providers: [
        { provide: REFUSAL_TIME_ZONE, useValue: config.PROGRAMME_TIME_ZONE },
        { provide: APP_FILTER, useClass: GlobalExceptionFilter },
      ],
    };
  }
}

class ConfigHolder {}
