import { Controller } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';

/** A committee member's pages: the review board with declarations, the review form, others' reviews and the ranking. */
@ApiExcludeController()
@Controller()
export class ReviewPagesController {}
