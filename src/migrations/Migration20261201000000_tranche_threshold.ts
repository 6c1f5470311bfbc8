import { Migration } from '@mikro-orm/migrations';

/**
 * A tranche's approval threshold is its call's finance threshold. Tranches made when a request could
 * choose its own (or took the maximum award) get the call's, unless they are already settled.
 */
export class Migration20261201000000_tranche_threshold extends Migration {
  override up(): void {
    this.addSql(
      `update workflow_instance i
          set snapshot = jsonb_set(i.snapshot, '{context,approvalThresholdMinor}', to_jsonb(c.finance_threshold_minor))
         from tranche t
         join application a on a.id = t.application_id
         join call c on c.id = a.call_id
        where i.subject_type = 'tranche' and i.subject_id = t.id
          and i.state in ('scheduled', 'requested', 'partly_approved', 'rejected', 'approved', 'payment_failed')
          and (i.snapshot->'context'->>'approvalThresholdMinor')::bigint is distinct from c.finance_threshold_minor`,
    );
  }
}
