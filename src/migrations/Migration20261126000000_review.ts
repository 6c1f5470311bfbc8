import { Migration } from '@mikro-orm/migrations';

/**
 * Committee review: a call's review terms (reminder days, which score ranks, the disagreement
 * threshold, the minimum score, the limit of awards per municipality), its review deadline and the
 * chair's choice to keep scores hidden until all are in; and the reviews, one per reviewer and
 * application, whose content lives in their machines.
 */
export class Migration20261126000000_review extends Migration {
  override up(): void {
    this.addSql('set constraints all immediate');
    this.addSql(`alter table call
      add column review_reminder_days integer not null default 3,
      add column rank_by text not null default 'raw' check (rank_by in ('raw', 'normalised')),
      add column disagreement_threshold double precision not null default 15,
      add column minimum_score double precision not null default 0,
      add column max_awards_per_municipality integer null,
      add column review_due_at timestamptz null,
      add column scores_hidden_until_complete boolean not null default false`);
    this.addSql(`create table review (
      id uuid primary key,
      call_id uuid not null references call (id) deferrable initially deferred,
      application_id uuid not null references application (id) deferrable initially deferred,
      reviewer_id uuid not null references app_user (id) deferrable initially deferred,
      state text not null,
      assigned_by uuid not null references app_user (id) deferrable initially deferred,
      assigned_at timestamptz not null default now(),
      submitted_at timestamptz null
    )`);
    // One standing review per reviewer and application; those taken away or cancelled stay as history.
    this.addSql(
      `create unique index review_standing_unique on review (application_id, reviewer_id) where state in ('draft', 'submitted')`,
    );
    this.addSql('create index review_call_id_index on review (call_id, reviewer_id)');
    this.addSql('create index review_reviewer_id_index on review (reviewer_id)');
  }
}
