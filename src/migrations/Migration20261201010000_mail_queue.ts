import { Migration } from '@mikro-orm/migrations';

/**
 * The relay takes the oldest due `notify` rows in the order it hands them on: an index with that
 * predicate and that order lets it read one batch, where the old one (due time alone, any type)
 * had it sort every pending row, payloads and all, for each batch.
 */
export class Migration20261201010000_mail_queue extends Migration {
  override up(): void {
    this.addSql(
      `create index outbox_notify_due_index on outbox (next_attempt_at, created_at, id) where status = 'pending' and type = 'notify'`,
    );
    this.addSql('drop index outbox_pending_index');
  }
}
