import { NoPayloadEventDto } from '../common/dto';
import { eventContract } from '../workflow-http/event-contract';
import { RequestRevisionEventDto } from './dto/report.dto';

/** The events a client may send a report: POST /reports/{id}/events. */
export const REPORT_EVENTS = eventContract({
  machineId: 'report',
  subjectType: 'report',
  resource: 'reports',
  dtos: { SUBMIT: NoPayloadEventDto, ACCEPT: NoPayloadEventDto, REQUEST_REVISION: RequestRevisionEventDto },
  examples: {
    SUBMIT: { summary: 'The group submits its report', value: {} },
    ACCEPT: { summary: 'The manager accepts it', value: {} },
    REQUEST_REVISION: {
      summary: 'Ask the group to revise it',
      value: { comments: ['Add the receipts for the paint and brushes.', 'How many children used the playground?'] },
    },
  },
});
