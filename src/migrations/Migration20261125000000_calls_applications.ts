import { Migration } from '@mikro-orm/migrations';

/**
 * A call's full terms (titles and descriptions per locale, eligible municipalities, eligibility
 * questions, the composition rule, the scoring scale, reviewers, the finance threshold, the report
 * schedule); an application's proposal, its municipality and programme; attachments; and the indexes
 * the application lists read (trigrams from the pg_trgm extension for title search). Existing titles become English titles.
 */
export class Migration20261125000000_calls_applications extends Migration {
  override up(): void {
    this.addSql('set constraints all immediate');
    this.addSql(`alter table call alter column title type jsonb using jsonb_build_object('en', title)`);
    this.addSql(`alter table call
      add column description jsonb not null default '{}',
      add column municipalities jsonb not null default '[]',
      add column questions jsonb not null default '[]',
      add column composition jsonb null,
      add column scale jsonb not null default '{"min": 0, "max": 5}',
      add column reviewers_per_application integer not null default 3,
      add column finance_threshold_minor bigint not null default 0,
      add column report_schedule jsonb not null default '[]',
      add column applications_per_group integer not null default 1`);
    this.addSql('update call set finance_threshold_minor = max_award_minor');

    this.addSql(`alter table application
      add column programme_id uuid null references programme (id) deferrable initially deferred,
      add column municipality text not null default '',
      add column proposal jsonb not null default '{}'`);
    this.addSql('update application a set programme_id = c.programme_id from call c where c.id = a.call_id');
    this.addSql('alter table application alter column programme_id set not null');
    // Lists: newest first within a programme, a call or a group, with the id as the tie-break a cursor needs.
    this.addSql(
      'create index application_programme_created_index on application (programme_id, created_at desc, id desc)',
    );
    this.addSql('create index application_call_created_index on application (call_id, created_at desc, id desc)');
    this.addSql('create index application_group_created_index on application (group_id, created_at desc, id desc)');
    this.addSql('create index application_programme_municipality_index on application (programme_id, municipality)');
    // Sorting a programme's list by title or amount reads these in order instead of sorting every row.
    this.addSql('create index application_programme_title_index on application (programme_id, title, id)');
    this.addSql(
      'create index application_programme_requested_index on application (programme_id, requested_minor, id)',
    );
    // Words of a title found anywhere in it (`ilike '%water%'`) through trigrams, not a scan of every title.
    this.addSql('create extension if not exists pg_trgm');
    this.addSql('create index application_title_trgm_index on application using gin (title gin_trgm_ops)');
    this.addSql('drop index if exists application_call_id_index');
    this.addSql('drop index if exists application_group_id_index');

    this.addSql(`create table attachment (
      id uuid primary key,
      application_id uuid not null references application (id) deferrable initially deferred,
      name text not null,
      content_type text not null,
      size_bytes integer not null check (size_bytes > 0),
      sha256 text not null,
      storage_key text not null unique,
      uploaded_by uuid not null references app_user (id) deferrable initially deferred,
      created_at timestamptz not null default now()
    )`);
    this.addSql('create index attachment_application_id_index on attachment (application_id)');
  }
}
