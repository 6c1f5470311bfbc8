import { Migration } from '@mikro-orm/migrations';

/** Each instance keeps the hash of its newest log row, so a transition chains to it without a lookup. */
export class Migration20261123010000_chain_head extends Migration {
  override up(): void {
    this.addSql('alter table workflow_instance add column last_hash text null');
    this.addSql(
      `update workflow_instance i set last_hash = l.hash
         from transition_log l where l.instance_id = i.id and l.seq = i.version`,
    );
    this.addSql(`update workflow_instance set last_hash = '${'0'.repeat(64)}' where last_hash is null`);
    this.addSql('alter table workflow_instance alter column last_hash set not null');
  }
}
