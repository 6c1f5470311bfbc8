import { Migration } from '@mikro-orm/migrations';

/**
 * The bank accounts an initiative group gives for its grant: one row each time it gives them, never
 * changed or removed, so the account every payment was approved against and each change (who, when,
 * why) stay on record. The newest row of an application is its account now.
 */
export class Migration20261201060000_bank_details extends Migration {
  override up(): void {
    this.addSql(`
      create table bank_details (
        id uuid primary key,
        application_id uuid not null references application (id),
        account_holder text not null,
        bank_name text not null,
        account_number text not null,
        bic text null,
        entered_by uuid not null references app_user (id),
        entered_at timestamptz not null,
        reason text null
      )`);
    this.addSql('create index bank_details_application_idx on bank_details (application_id, entered_at)');
    this.addSql(`
      create function bank_details_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'bank_details is append-only';
      end $$`);
    this.addSql(`
      create trigger bank_details_append_only before update or delete on bank_details
        for each row execute function bank_details_append_only()`);
  }
}
