import type { DisbursementContext, DisbursementInput } from '../../workflows/disbursement.machine';
import type { WorkflowBinding } from '../engine/binding';
import type { DisbursementsService } from './disbursements.service';
import { Tranche } from './tranche.entity';

/**
 * What the engine needs from disbursements: the grant's facts, the body to event, the tranche's
 * amount, and the tranche's record for each one an accepted award starts.
 */
export function disbursementWorkflow(disbursements: DisbursementsService): WorkflowBinding {
  return {
    machineId: 'disbursement',
    facts: (em, instance, event) => disbursements.facts(em, instance, event),
    toEvent: (type, dto, em, id) => disbursements.toEvent(type, dto, em, id),
    // Their facts lock the grant's row: requests against one award are counted one after another.
    serialised: ['REQUEST', 'AMEND_AND_REQUEST'],
    subjectFor: (em, input, index) => {
      const { applicationId, amountMinor, currency } = input as unknown as DisbursementInput;
      return em.create(Tranche, { applicationId, amountMinor, currency, position: index + 1 }).id;
    },
    projection: {
      fields: ['amountMinor'],
      apply: async (em, instance, context) => {
        const tranche = await em.findOne(Tranche, { id: instance.subjectId });
        if (tranche) tranche.amountMinor = (context as unknown as DisbursementContext).amountMinor;
      },
    },
  };
}
