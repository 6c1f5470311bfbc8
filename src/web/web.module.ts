import { Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { MulterModule } from '@nestjs/platform-express';
import { ApplicationsModule, uploadOptions } from '../applications/applications.module';
import { CallsModule } from '../calls/calls.module';
import { AppConfig } from '../config/config';
import { ERROR_PAGES } from '../common/error-pages';
import { IdentityModule } from '../identity/identity.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { OrganisationsModule } from '../organisations/organisations.module';
import { ReviewsModule } from '../reviews/reviews.module';
import { AccountPagesController } from './account.controller';
import { CallDeadlinePagesController } from './call-deadline.controller';
import { CallSetupPagesController } from './call-setup.controller';
import { CommitteePagesController } from './committee.controller';
import { DecisionPagesController } from './decisions.controller';
import { ManagePagesController } from './manage.controller';
import { ReviewPagesController } from './review.controller';
import { ScreeningPagesController } from './screening.controller';
import { ApplyPagesController } from './apply.controller';
import { ErrorPageRenderer } from './error-page';
import { GroupPagesController } from './group.controller';
import { PageContext } from './page-context';
import { Pages } from './pages';
import { PublicPagesController } from './public.controller';
import { StatusPagesController } from './status.controller';
import { WorkflowHttpModule } from '../workflow-http/workflow-http.module';
import { DisbursementsModule } from '../disbursements/disbursements.module';
import { FinancePagesController } from './finance/finance.controller';
import { PaymentPagesController } from './finance/payments.controller';
import { TranchePages } from './finance/tranche-pages';
import { LedgerPagesController } from './finance/ledger.controller';
import { LedgerPages } from './finance/ledger-pages';
import { AwardPagesController } from './award/award.controller';

const PAGE_CONTROLLERS = [
  PublicPagesController,
  AccountPagesController,
  GroupPagesController,
  StatusPagesController,
  ApplyPagesController,
  // Before the manage pages: /manage/calls/new is not one of their /manage/calls/:id.
  CallSetupPagesController,
  CallDeadlinePagesController,
  ManagePagesController,
  ScreeningPagesController,
  CommitteePagesController,
  ReviewPagesController,
  DecisionPagesController,
  FinancePagesController,
  PaymentPagesController,
  LedgerPagesController,
  AwardPagesController,
];

/**
 * The web pages people use in a browser: server-rendered, GOV.UK Frontend components, working
 * without JavaScript. They call the same services and the same access policy as the API.
 */
@Module({
  imports: [
    AccessModule,
    IdentityModule,
    CallsModule,
    ApplicationsModule,
    OrganisationsModule,
    ReviewsModule,
    NotificationsModule,
    WorkflowHttpModule,
    DisbursementsModule,
    MulterModule.registerAsync({ inject: [AppConfig], useFactory: uploadOptions }),
  ],
  controllers: PAGE_CONTROLLERS,
  providers: [
    Pages,
    PageContext,
    TranchePages,
    LedgerPages,
    ErrorPageRenderer,
    { provide: ERROR_PAGES, useExisting: ErrorPageRenderer },
  ],
  exports: [ERROR_PAGES],
})
export class WebModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(PageContext).forRoutes(...PAGE_CONTROLLERS);
  }
}
