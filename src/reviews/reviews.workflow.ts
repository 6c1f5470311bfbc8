import type { ReviewChanges, ReviewContext, ReviewState } from '../../workflows/review.machine';
import { db } from '../common/kysely';
import { fieldRefused } from '../common/validation';
import type { WorkflowBinding } from '../engine/binding';
import { Review } from './review.entity';
import type { SaveReviewEventDto } from './dto/review.dto';

/** What the engine needs from reviews: whether others are outstanding, a SAVE's changes, the review row. */
export const REVIEW_WORKFLOW: WorkflowBinding = {
  machineId: 'review',
  facts: async (em, instance, event) => {
    if (event.type !== 'SUBMIT') return undefined;
    const row = await db(em)
      .selectFrom('review as r')
      .select((eb) => eb.fn.countAll().as('others'))
      .where('r.application_id', '=', (eb) =>
        eb.selectFrom('review').select('application_id').where('id', '=', instance.subjectId),
      )
      .where('r.id', '<>', instance.subjectId)
      .where('r.state', '=', 'draft' satisfies ReviewState)
      .executeTakeFirstOrThrow();
    return { othersOutstanding: Number(row.others) };
  },
  toEvent: (type, dto) => {
    if (type !== 'SAVE') return Promise.resolve({ type });
    const { scores, comments, overallComment, recommendation } = dto as SaveReviewEventDto;
    if (scores?.some((s) => s !== null && typeof s !== 'number')) {
      throw fieldRefused('scores', 'reviews.scoresNumbers');
    }
    const changes: ReviewChanges = { scores, comments, overallComment, recommendation };
    return Promise.resolve({
      type,
      changes: Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)),
    });
  },
  // Every change of submittedAt or reason comes with a change of state.
  projection: {
    fields: [],
    onStateChange: true,
    apply: async (em, instance, context) => {
      const review = await em.findOne(Review, { id: instance.subjectId });
      const submittedAt = (context as unknown as ReviewContext).submittedAt;
      if (review)
        Object.assign(review, { state: instance.state, submittedAt: submittedAt ? new Date(submittedAt) : null });
    },
  },
};
