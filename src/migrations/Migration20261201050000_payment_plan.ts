import { Migration } from '@mikro-orm/migrations';

/**
 * A call's payment plan: its grants' tranches, each a share of the award and when it may be
 * requested. Calls made before it pay in one tranche of 100% on acceptance, as they did; their
 * machines read the same plan from their snapshots (the call machine's version 4). A tranche
 * keeps its place in the plan: those an acceptance starts together are listed in the plan's order.
 */
export class Migration20261201050000_payment_plan extends Migration {
  override up(): void {
    this.addSql(
      `alter table call add column payment_plan jsonb not null default '[{"sharePercent": 100, "release": "on_acceptance"}]'`,
    );
    this.addSql('alter table tranche add column position integer not null default 0');
  }
}
