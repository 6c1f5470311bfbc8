import { NoPayloadEventDto, ReasonEventDto } from '../common/dto';
import { eventContract } from '../workflow-http/event-contract';
import { AmendAndRequestEventDto, RecordPaymentEventDto } from './dto/tranche.dto';

/** The events a client may send a tranche: POST /tranches/{id}/events. */
export const DISBURSEMENT_EVENTS = eventContract({
  machineId: 'disbursement',
  subjectType: 'tranche',
  resource: 'tranches',
  dtos: {
    REQUEST: NoPayloadEventDto,
    APPROVE: NoPayloadEventDto,
    REJECT: ReasonEventDto,
    AMEND_AND_REQUEST: AmendAndRequestEventDto,
    RECORD_PAYMENT: RecordPaymentEventDto,
    PAYMENT_FAILED: ReasonEventDto,
    RETURN: ReasonEventDto,
    CANCEL: ReasonEventDto,
  },
  examples: {
    REQUEST: { summary: 'Ask finance to approve the tranche', value: {} },
    APPROVE: {
      summary: 'Approve it; at or above the call’s finance threshold a second officer must approve too',
      value: {},
    },
    REJECT: {
      summary: 'Send it back to the manager',
      value: { reason: 'The bank details do not match the agreement.' },
    },
    AMEND_AND_REQUEST: { summary: 'Change the amount and ask again', value: { amount: '1250.00' } },
    RECORD_PAYMENT: {
      summary: 'Record the bank transfer once it is approved',
      value: { amount: '1750.00', reference: 'KICB-2027-000418', paidOn: '2027-02-01' },
    },
    PAYMENT_FAILED: {
      summary: 'The transfer did not go out',
      value: { reason: 'The bank refused the account number.' },
    },
    RETURN: {
      summary: 'The bank sent a recorded payment back: the tranche is to be paid again',
      value: { reason: 'The account was closed.' },
    },
    CANCEL: { summary: 'Cancel the tranche', value: { reason: 'The grant was terminated.' } },
  },
});
