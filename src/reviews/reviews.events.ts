import { NoPayloadEventDto } from '../common/dto';
import { eventContract } from '../workflow-http/event-contract';
import { SaveReviewEventDto } from './dto/review.dto';

/** The events a reviewer may send their review: POST /reviews/{id}/events. */
export const REVIEW_EVENTS = eventContract({
  machineId: 'review',
  subjectType: 'review',
  resource: 'reviews',
  dtos: { SAVE: SaveReviewEventDto, SUBMIT: NoPayloadEventDto },
  examples: {
    SAVE: {
      summary: 'Save the draft: a score and a comment per criterion, in the call’s order',
      value: {
        scores: [4, 5, null],
        comments: ['Clear need, backed by the school’s letter.', 'Realistic timeline.', ''],
        overallComment: 'A strong proposal from an active parents’ group.',
        recommendation: 'fund',
      },
    },
    SUBMIT: { summary: 'Submit the review: every criterion must be scored', value: {} },
  },
});
