import { NoPayloadEventDto, ReasonEventDto } from '../common/dto';
import { eventContract } from '../workflow-http/event-contract';
import {
  AwardEventDto,
  OptionalReasonEventDto,
  RequestInfoEventDto,
  ResubmitEventDto,
  ScreenEventDto,
  UpdateDraftEventDto,
} from './dto/application.dto';

/** The events a client may send an application: POST /applications/{id}/events. */
export const APPLICATION_EVENTS = eventContract({
  machineId: 'application',
  subjectType: 'application',
  resource: 'applications',
  dtos: {
    UPDATE_DRAFT: UpdateDraftEventDto,
    SUBMIT: NoPayloadEventDto,
    REQUEST_INFO: RequestInfoEventDto,
    RESUBMIT: ResubmitEventDto,
    SCREEN: ScreenEventDto,
    AWARD: AwardEventDto,
    REJECT: OptionalReasonEventDto,
    WAITLIST: NoPayloadEventDto,
    ACCEPT_AWARD: NoPayloadEventDto,
    DECLINE_AWARD: OptionalReasonEventDto,
    FINAL_REPORT_DUE: NoPayloadEventDto,
    CLOSE: NoPayloadEventDto,
    TERMINATE: ReasonEventDto,
    WITHDRAW: ReasonEventDto,
  },
  examples: {
    UPDATE_DRAFT: {
      summary: 'Change the draft: only the fields given change',
      value: {
        summary: 'A shaded playground beside School No. 3, built by parents and pupils.',
        municipality: 'Gulistan',
        budget: [
          { category: 'materials', description: 'Timber and paint', quantity: 1, unitCost: '1400.00' },
          { category: 'equipment', description: 'Swings and a slide', quantity: 1, unitCost: '1100.00' },
        ],
        participants: { women: 14, men: 9, youth: 22 },
      },
    },
    SUBMIT: { summary: 'Submit the application before the call closes', value: {} },
    REQUEST_INFO: {
      summary: 'Screening: ask the group for more information',
      value: { questions: ['Which school is the playground for?'] },
    },
    RESUBMIT: { summary: 'Answer the questions and submit again', value: { answers: ['School No. 3 in Gulistan.'] } },
    SCREEN: {
      summary: 'Record the screening decision',
      value: { decision: 'eligible' },
    },
    AWARD: { summary: 'Award a grant of this amount', value: { amount: '2500.00' } },
    REJECT: { summary: 'Reject the application', value: { reason: 'The budget exceeds the call’s maximum award.' } },
    WAITLIST: { summary: 'Put it on the waiting list', value: {} },
    ACCEPT_AWARD: { summary: 'The group accepts the award', value: {} },
    DECLINE_AWARD: { summary: 'The group declines the award', value: { reason: 'The school found other funding.' } },
    FINAL_REPORT_DUE: { summary: 'The final report falls due', value: {} },
    CLOSE: { summary: 'Close the grant once its final report is accepted', value: {} },
    TERMINATE: { summary: 'End the grant early', value: { reason: 'The activities could not take place.' } },
    WITHDRAW: { summary: 'The group withdraws its application', value: { reason: 'We will apply next year.' } },
  },
});
