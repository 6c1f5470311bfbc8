import { Module, type OnModuleInit } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { AppConfig } from '../config/config';
import { WorkflowHttpModule } from '../workflow-http/workflow-http.module';
import { DiskFileStore, FILE_STORE } from '../files/file-store';
import {
  ApplicationsController,
  AttachmentsController,
  CallApplicationsController,
  CallDecisionsController,
  CallScreeningController,
} from './applications.controller';
import { ApplicationListService } from './application-list.service';
import { ApplicationsService } from './applications.service';
import { ScreeningService } from './screening.service';
import { AttachmentsService } from './attachments.service';
import { WorkflowEngine } from '../engine/engine.service';
import { applicationWorkflow } from './applications.workflow';
import { AgreementController } from './agreement.controller';
import { AgreementService } from './agreement.service';
import { BankDetailsService } from './bank-details.service';

/**
 * How an upload is read, for the API's attachment route and the pages' alike: held in memory up to
 * the size limit, one file. Browsers send file names in UTF-8 without saying so: read them that way,
 * or Cyrillic is garbled.
 */
export const uploadOptions = (config: AppConfig) => ({
  defParamCharset: 'utf8',
  limits: { fileSize: config.ATTACHMENT_MAX_MB * 1024 * 1024, files: 1, fields: 10, parts: 11 },
});

@Module({
  imports: [
    WorkflowHttpModule,
    // Uploads are held in memory, checked, then written to the file store.
    MulterModule.registerAsync({ inject: [AppConfig], useFactory: uploadOptions }),
  ],
  controllers: [
    ApplicationsController,
    AttachmentsController,
    CallApplicationsController,
    CallScreeningController,
    CallDecisionsController,
    AgreementController,
  ],
  providers: [
    ApplicationsService,
    ApplicationListService,
    ScreeningService,
    AttachmentsService,
    AgreementService,
    BankDetailsService,
    { provide: FILE_STORE, inject: [AppConfig], useFactory: (config: AppConfig) => new DiskFileStore(config.filesDir) },
  ],
  exports: [
    ApplicationsService,
    ApplicationListService,
    AttachmentsService,
    ScreeningService,
    AgreementService,
    BankDetailsService,
  ],
})
export class ApplicationsModule implements OnModuleInit {
  constructor(
    private readonly engine: WorkflowEngine,
    private readonly applications: ApplicationsService,
  ) {}

  /** The feature's one binding to the engine: see applications.workflow.ts. */
  onModuleInit(): void {
    this.engine.bind(applicationWorkflow(this.applications));
  }
}
