import { Controller } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';

/** The call's committee as its manager runs it: members and chair, declarations, assignment, reviews, the deadline. */
@ApiExcludeController()
@Controller()
export class CommitteePagesController {}
