import { Module } from '@nestjs/common';
import { WorkflowHttpModule } from '../workflow-http/workflow-http.module';
import { RankingService } from './ranking.service';
import { ApplicationReviewsController, CallReviewController, ConflictController, ReviewsController } from './reviews.controller';
import { ReviewsService } from './reviews.service';

/** The grant committee's work: conflicts of interest, assignment, blind reviews, the ranking. */
@Module({
  imports: [WorkflowHttpModule],
  controllers: [ReviewsController, CallReviewController, ApplicationReviewsController, ConflictController],
  providers: [ReviewsService, RankingService],
})
export class ReviewsModule {}
