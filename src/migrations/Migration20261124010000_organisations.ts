import { Migration } from '@mikro-orm/migrations';

/**
 * Organisations and sign-in: programmes (who runs calls) with their staff, applicant groups with
 * their members, each call's committee, conflicts of interest, one-time sign-in links and sessions.
 * Existing data moves into one programme, and each applicant into a group of their own.
 */
export class Migration20261124010000_organisations extends Migration {
  override up(): void {
    // The foreign keys are deferrable: checked at once here, so the tables they touch can be altered
    // after their rows are filled in.
    this.addSql('set constraints all immediate');
    this.addSql(`create table programme (
      id uuid primary key,
      name text not null unique,
      created_at timestamptz not null default now()
    )`);
    this.addSql(`insert into programme (id, name) select gen_random_uuid(), 'Community Mini-Grants'
      where exists (select 1 from app_user where role <> 'applicant') or exists (select 1 from call)`);
    this.addSql(
      'alter table app_user add column programme_id uuid null references programme (id) deferrable initially deferred',
    );
    this.addSql(`update app_user set programme_id = (select id from programme limit 1) where role <> 'applicant'`);
    this.addSql('create index app_user_programme_id_index on app_user (programme_id)');
    this.addSql(
      'alter table call add column programme_id uuid null references programme (id) deferrable initially deferred',
    );
    this.addSql('update call set programme_id = (select id from programme limit 1)');
    this.addSql('alter table call alter column programme_id set not null');
    this.addSql('create index call_programme_id_index on call (programme_id)');

    this.addSql(`create table applicant_group (
      id uuid primary key,
      name text not null,
      municipality text not null,
      oblast text not null,
      contact_user_id uuid not null references app_user (id) deferrable initially deferred,
      created_at timestamptz not null default now()
    )`);
    this.addSql(`create table group_member (
      group_id uuid not null references applicant_group (id) on delete cascade deferrable initially deferred,
      user_id uuid not null references app_user (id) deferrable initially deferred,
      joined_at timestamptz not null default now(),
      primary key (group_id, user_id)
    )`);
    this.addSql('create index group_member_user_id_index on group_member (user_id)');
    // Until now an applicant was their own group, under their own id: the machines' groupId stays valid.
    this.addSql(`insert into applicant_group (id, name, municipality, oblast, contact_user_id)
      select u.id, u.name, '', '', u.id from app_user u where exists (select 1 from application a where a.created_by = u.id)`);
    this.addSql('insert into group_member (group_id, user_id) select id, id from applicant_group');
    this.addSql(
      'alter table application add column group_id uuid null references applicant_group (id) deferrable initially deferred',
    );
    this.addSql('update application set group_id = created_by');
    this.addSql('alter table application alter column group_id set not null');
    this.addSql('create index application_group_id_index on application (group_id)');

    this.addSql(`create table committee_member (
      call_id uuid not null references call (id) deferrable initially deferred,
      user_id uuid not null references app_user (id) deferrable initially deferred,
      chair boolean not null default false,
      primary key (call_id, user_id)
    )`);
    this.addSql('create index committee_member_user_id_index on committee_member (user_id)');
    this.addSql(`create table conflict_declaration (
      application_id uuid not null references application (id) deferrable initially deferred,
      user_id uuid not null references app_user (id) deferrable initially deferred,
      conflicted boolean not null,
      reason text null,
      declared_at timestamptz not null default now(),
      primary key (application_id, user_id)
    )`);

    this.addSql(`create table login_link (
      id uuid primary key,
      user_id uuid not null references app_user (id) deferrable initially deferred,
      token_hash text not null unique,
      purpose text not null check (purpose in ('sign_in', 'invitation')),
      expires_at timestamptz not null,
      used_at timestamptz null,
      created_at timestamptz not null default now()
    )`);
    this.addSql('create index login_link_user_id_index on login_link (user_id)');
    this.addSql(`create table user_session (
      id uuid primary key,
      user_id uuid not null references app_user (id) deferrable initially deferred,
      token_hash text not null unique,
      expires_at timestamptz not null,
      revoked_at timestamptz null,
      created_at timestamptz not null default now()
    )`);
    this.addSql('create index user_session_user_id_index on user_session (user_id)');

    this.addSql('alter table notification add column programme_id uuid null');
    this.addSql('create index notification_programme_index on notification (programme_id, created_at)');
  }
}
