import { Migration } from '@mikro-orm/migrations';

/**
 * Emails: one row per recipient of each message, claimed by dispatchers with a lease. Applications
 * get a human reference (KG-2026-0007), numbered per year of creation.
 */
export class Migration20261124000000_notifications extends Migration {
  override up(): void {
    this.addSql(`create table notification (
      id uuid primary key,
      seq bigint generated always as identity,
      outbox_id uuid null references outbox (id) deferrable initially deferred,
      message text not null,
      template text not null,
      recipient_id uuid null references app_user (id) deferrable initially deferred,
      email text not null,
      locale text not null check (locale in ('en', 'ru', 'ky')),
      subject_type text null,
      subject_id uuid null,
      data jsonb not null,
      status text not null default 'pending' check (status in ('pending', 'sent', 'failed', 'dead')),
      attempts integer not null default 0,
      last_error text null,
      next_attempt_at timestamptz not null default now(),
      locked_until timestamptz null,
      subject text null,
      file text null,
      sent_at timestamptz null,
      created_at timestamptz not null default now()
    )`);
    // One email per recipient of an outbox row, however often the row is handed on.
    this.addSql('create unique index notification_outbox_recipient_unique on notification (outbox_id, recipient_id)');
    this.addSql(
      `create index notification_due_index on notification (next_attempt_at, seq) where status in ('pending', 'failed')`,
    );
    this.addSql('create index notification_status_created_index on notification (status, created_at)');
    this.addSql('create index notification_subject_index on notification (subject_type, subject_id)');
    this.addSql(`create index outbox_pending_index on outbox (next_attempt_at) where status = 'pending'`);

    this.addSql('create table reference_counter (year integer primary key, last integer not null)');
    this.addSql('alter table application add column reference text null');
    this.addSql(`update application a set reference = r.reference from (
        select id, 'KG-' || extract(year from created_at)::int || '-' ||
               lpad((row_number() over (partition by extract(year from created_at) order by created_at, id))::text, 4, '0') as reference
          from application) r
       where r.id = a.id`);
    this.addSql(`insert into reference_counter (year, last)
        select extract(year from created_at)::int, count(*) from application group by 1`);
    this.addSql('alter table application alter column reference set not null');
    this.addSql('create unique index application_reference_unique on application (reference)');
  }
}
