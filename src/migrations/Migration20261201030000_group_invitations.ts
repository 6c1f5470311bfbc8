import { Migration } from '@mikro-orm/migrations';

/**
 * Adding a member to a group invites them: a person becomes a member by signing in with the
 * invitation's link. Each invitation is kept, also those that sent nothing (to programme staff or a
 * member already), so the answer is the same for every address and the daily limits count them all.
 */
export class Migration20261201030000_group_invitations extends Migration {
  override up(): void {
    this.addSql('alter table login_link drop constraint login_link_purpose_check');
    this.addSql(
      `alter table login_link add constraint login_link_purpose_check check (purpose in ('sign_in', 'invitation', 'group_invitation'))`,
    );
    this.addSql(`create table group_invitation (
      id uuid primary key,
      group_id uuid not null references applicant_group (id) on delete cascade deferrable initially deferred,
      email text not null,
      name text not null,
      invited_by uuid not null references app_user (id) deferrable initially deferred,
      link_id uuid null references login_link (id) deferrable initially deferred,
      created_at timestamptz not null default now(),
      accepted_at timestamptz null
    )`);
    this.addSql('create index group_invitation_group_index on group_invitation (group_id, created_at)');
    this.addSql('create index group_invitation_inviter_index on group_invitation (invited_by, created_at)');
    this.addSql('create index group_invitation_link_index on group_invitation (link_id) where link_id is not null');
  }
}
