import { Module, type OnModuleInit } from '@nestjs/common';
import { WorkflowHttpModule } from '../workflow-http/workflow-http.module';
import { RankingService } from './ranking.service';
import {
  ApplicationReviewsController,
  CallReviewController,
  ConflictController,
  ReviewsController,
} from './reviews.controller';
import { AssignmentService } from './assignment.service';
import { BoardService } from './board.service';
import { ConflictsService } from './conflicts.service';
import { ReviewsService } from './reviews.service';
import { WorkflowEngine } from '../engine/engine.service';
import { REVIEW_WORKFLOW } from './reviews.workflow';

/** The grant committee's work: conflicts of interest, assignment, blind reviews, the ranking. */
@Module({
  imports: [WorkflowHttpModule],
  controllers: [ReviewsController, CallReviewController, ApplicationReviewsController, ConflictController],
  providers: [ReviewsService, ConflictsService, BoardService, AssignmentService, RankingService],
  exports: [ReviewsService, ConflictsService, BoardService, AssignmentService, RankingService],
})
export class ReviewsModule implements OnModuleInit {
  constructor(private readonly engine: WorkflowEngine) {}

  /** The feature's one binding to the engine: see reviews.workflow.ts. */
  onModuleInit(): void {
    this.engine.bind(REVIEW_WORKFLOW);
  }
}
