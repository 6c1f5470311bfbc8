import type { DisbursementContext } from '../../workflows/disbursement.machine';
import type { WorkflowBinding } from '../engine/binding';
import type { DisbursementsService } from './disbursements.service';
import { Tranche } from './tranche.entity';

/** What the engine needs from disbursements: the grant's facts, the body to event, the tranche's amount. */
export function disbursementWorkflow(disbursements: DisbursementsService): WorkflowBinding {
  return {
    machineId: 'disbursement',
    facts: (em, instance, event) => disbursements.facts(em, instance, event),
    toEvent: (type, dto, em, id) => disbursements.toEvent(type, dto, em, id),
    projection: {
      fields: ['amountMinor'],
      apply: async (em, instance, context) => {
        const tranche = await em.findOne(Tranche, { id: instance.subjectId });
        if (tranche) tranche.amountMinor = (context as unknown as DisbursementContext).amountMinor;
      },
    },
  };
}
