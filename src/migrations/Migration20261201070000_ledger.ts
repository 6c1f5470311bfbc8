import { Migration } from '@mikro-orm/migrations';

/**
 * The ledger: every money movement, one row each, written with the transition that caused it and
 * never changed (a trigger refuses updates and deletes, as for the transition log). A row names the
 * instance whose transition moved the money and the top of its family (the call's instance), from
 * which its call and programme are read.
 *
 * Rows for what happened before the ledger existed are written from the transition log, the way the
 * engine would have written them: the budget of every published call, every award, the awards freed
 * by a decline or a withdrawal, what a grant ended or closed did not pay, and every payment made or
 * returned.
 */
export class Migration20261201070000_ledger extends Migration {
  override up(): void {
    this.addSql(`create table ledger_entry (
      id uuid primary key,
      instance_id uuid not null references workflow_instance (id) deferrable initially deferred,
      root_instance_id uuid not null references workflow_instance (id) deferrable initially deferred,
      seq integer not null,
      kind text not null check (kind in ('budgeted', 'committed', 'released', 'disbursed', 'returned', 'refunded')),
      amount_minor bigint not null check (amount_minor > 0),
      currency text not null check (currency ~ '^[A-Z]{3}$'),
      at timestamptz not null,
      foreign key (instance_id, seq) references transition_log (instance_id, seq) deferrable initially deferred
    )`);
    this.addSql('create index ledger_entry_root_instance_id_index on ledger_entry (root_instance_id, at)');
    this.addSql('create index ledger_entry_instance_id_index on ledger_entry (instance_id)');
    this.addSql(`create function ledger_entry_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'ledger_entry is append-only: % refused', tg_op using errcode = 'integrity_constraint_violation';
      end;
      $$`);
    this.addSql(`create trigger ledger_entry_append_only before update or delete on ledger_entry
      for each row execute function ledger_entry_append_only()`);
    this.addSql(`insert into ledger_entry (id, instance_id, root_instance_id, seq, kind, amount_minor, currency, at)
      select gen_random_uuid(), m.instance_id, coalesce(gp.id, p.id, i.id), m.seq, m.kind, m.amount, i.snapshot->'context'->>'currency', m.at
        from (
          select l.instance_id, l.seq, l.at, 'budgeted' as kind, (i.snapshot->'context'->>'budgetMinor')::bigint as amount
            from transition_log l join workflow_instance i on i.id = l.instance_id
           where i.machine_id = 'call' and l.event_type = 'PUBLISH' and l.from_state = 'draft'
          union all
          select l.instance_id, l.seq, l.at, 'committed', (l.payload->>'amountMinor')::bigint
            from transition_log l join workflow_instance i on i.id = l.instance_id
           where i.machine_id = 'application' and l.to_state = 'awarded' and l.from_state <> 'awarded'
          union all
          select l.instance_id, l.seq, l.at, 'released', (i.snapshot->'context'->>'awardedMinor')::bigint
            from transition_log l join workflow_instance i on i.id = l.instance_id
           where i.machine_id = 'application' and l.from_state = 'awarded' and l.to_state in ('declined', 'withdrawn')
          union all
          select l.instance_id, l.seq, l.at, 'released',
                 (i.snapshot->'context'->>'awardedMinor')::bigint - coalesce((
                   select sum((t.snapshot->'context'->>'amountMinor')::bigint)
                     from workflow_instance t
                    where t.parent_id = i.id and t.machine_id = 'disbursement' and t.state = 'paid'), 0)
            from transition_log l join workflow_instance i on i.id = l.instance_id
           where i.machine_id = 'application' and l.event_type in ('TERMINATE', 'CLOSE')
          union all
          select l.instance_id, l.seq, l.at, case l.event_type when 'RECORD_PAYMENT' then 'disbursed' else 'returned' end,
                 (i.snapshot->'context'->>'amountMinor')::bigint
            from transition_log l join workflow_instance i on i.id = l.instance_id
           where i.machine_id = 'disbursement' and l.event_type in ('RECORD_PAYMENT', 'RETURN')
        ) m
        join workflow_instance i on i.id = m.instance_id
        left join workflow_instance p on p.id = i.parent_id
        left join workflow_instance gp on gp.id = p.parent_id
       where m.amount > 0
       order by m.at, m.instance_id, m.seq`);
  }
}
