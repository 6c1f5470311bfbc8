import { NoPayloadEventDto, ReasonEventDto } from '../common/dto';
import { eventContract } from '../workflow-http/event-contract';
import {
  ExtendDeadlineEventDto,
  SetReviewDeadlineEventDto,
  StartReviewEventDto,
  UpdateCallEventDto,
} from './dto/call.dto';

/** The events a client may send a call: POST /calls/{id}/events. */
export const CALL_EVENTS = eventContract({
  machineId: 'call',
  subjectType: 'call',
  resource: 'calls',
  dtos: {
    UPDATE: UpdateCallEventDto,
    PUBLISH: NoPayloadEventDto,
    EXTEND_DEADLINE: ExtendDeadlineEventDto,
    CLOSE: NoPayloadEventDto,
    START_REVIEW: StartReviewEventDto,
    SET_REVIEW_DEADLINE: SetReviewDeadlineEventDto,
    CONFIRM_DECISIONS: NoPayloadEventDto,
    ARCHIVE: NoPayloadEventDto,
    CANCEL: ReasonEventDto,
  },
  examples: {
    UPDATE: {
      summary: 'Change a draft’s terms: only the fields given change',
      value: {
        budget: '12500.00',
        maxAward: '2500.00',
        municipalities: ['Gulistan', 'Kara-Suu', 'Nookat', 'Uzgen'],
        financeThreshold: '2000.00',
      },
    },
    PUBLISH: { summary: 'Publish the draft: it opens for applications at opensAt', value: {} },
    EXTEND_DEADLINE: { summary: 'Move the closing time later', value: { closesAt: '2027-03-15T18:00:00+06:00' } },
    CLOSE: { summary: 'Close the call to applications before its deadline', value: {} },
    START_REVIEW: {
      summary: 'Assign reviewers and start the committee’s review',
      value: { reviewDueAt: '2027-04-10T18:00:00+06:00' },
    },
    SET_REVIEW_DEADLINE: {
      summary: 'Set or move the committee’s deadline',
      value: { reviewDueAt: '2027-04-17T18:00:00+06:00' },
    },
    CONFIRM_DECISIONS: { summary: 'Confirm every award, waiting-list place and rejection', value: {} },
    ARCHIVE: { summary: 'Archive the call once every grant is closed', value: {} },
    CANCEL: { summary: 'Cancel the call', value: { reason: 'The programme’s funding was withdrawn.' } },
  },
});
