import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, MikroORM } from '@mikro-orm/core';
import { DomainError, ErrorCode } from '../common/domain-error';
import { db } from '../common/kysely';
import { AppConfig } from '../config/config';
import { fieldRefused } from '../common/validation';
import { User } from '../identity/identity.entities';
import { IdentityService } from '../identity/identity.service';
import { SignInService } from '../identity/sign-in.service';
import { ApplicantGroup, CommitteeMember, GroupInvitation, GroupMember } from './organisation.entities';
import type { CommitteeView, GroupView, InvitationView } from './organisation.views';
import type { Locale } from '../../workflows/localised';
import type { AuthenticatedUser } from '../common/authenticated-user';

const DAY_MS = 24 * 3_600_000;

@Injectable()
export class OrganisationsService {
  constructor(
    private readonly orm: MikroORM,
    private readonly identity: IdentityService,
    private readonly signIn: SignInService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** A new initiative group, with its creator as first member and contact person. */
  async createGroup(
    founder: AuthenticatedUser,
    fields: { name: string; municipality: string; oblast: string },
  ): Promise<string> {
    return this.orm.em.fork().transactional(async (em) => {
      const group = em.create(ApplicantGroup, { ...fields, contactUserId: founder.id });
      em.create(GroupMember, { groupId: group.id, userId: founder.id });
      return group.id;
    });
  }

  async group(id: string): Promise<GroupView> {
    const em = this.orm.em.fork();
    const group = await em.findOne(ApplicantGroup, { id });
    if (!group) throw DomainError.notFound('group', id);
    const members = await em.find(GroupMember, { groupId: id }, { orderBy: { joinedAt: 'asc', userId: 'asc' } });
    const users = await em.find(User, { id: { $in: members.map((m) => m.userId) } });
    const lifetime = this.config.INVITATION_HOURS * 3_600_000;
    const pending = await em.find(
      GroupInvitation,
      { groupId: id, acceptedAt: null, createdAt: { $gt: new Date(Date.now() - lifetime) } },
      { orderBy: { createdAt: 'desc', id: 'asc' } },
    );
    const listed = new Set(users.map((u) => u.email));
    const invitations: InvitationView[] = [];
    for (const i of pending) {
      if (listed.has(i.email)) continue;
      listed.add(i.email);
      invitations.push({
        email: i.email,
        name: i.name,
        invitedAt: i.createdAt.toISOString(),
        expiresAt: new Date(i.createdAt.getTime() + lifetime).toISOString(),
      });
    }
    return {
      id,
      name: group.name,
      municipality: group.municipality,
      oblast: group.oblast,
      contactUserId: group.contactUserId,
      members: members
        .map((m) => users.find((u) => u.id === m.userId) as User)
        .map((u) => ({ userId: u.id, name: u.name, email: u.email })),
      invitations,
    };
  }

  /** The groups the user belongs to. */
  async groupsOf(userId: string): Promise<GroupView[]> {
    const memberships = await this.orm.em.fork().find(GroupMember, { userId }, { orderBy: { joinedAt: 'asc' } });
    return Promise.all(memberships.map((m) => this.group(m.groupId)));
  }

  /**
   * Invites a person to a group, by address. Whoever the address belongs to, the invitation is
   * recorded and counts towards the limits, and the caller is told the same: an address that can
   * join (new, or an applicant's not yet in the group) is emailed a link that makes them a member
   * when they sign in with it; programme staff and members already are sent nothing.
   */
  async addMember(
    groupId: string,
    by: AuthenticatedUser,
    person: { email: string; name: string; locale?: Locale },
  ): Promise<void> {
    await this.orm.em.fork().transactional(async (em) => {
      await this.holdInvitationLimits(em, groupId, by.id);
      const email = person.email.trim().toLowerCase();
      const group = await em.findOneOrFail(ApplicantGroup, { id: groupId });
      let user = await em.findOne(User, { email });
      const joinable =
        !user || (user.role === 'applicant' && (await em.count(GroupMember, { groupId, userId: user.id })) === 0);
      user ??= await this.identity.insertUser(em, {
        email,
        name: person.name,
        role: 'applicant',
        locale: person.locale,
      });
      const linkId = joinable
        ? this.signIn.queueLink(em, user, 'group_invitation', by.name, { name: group.name })
        : null;
      em.create(GroupInvitation, { groupId, email, name: person.name.trim(), invitedBy: by.id, linkId });
    });
  }

  /**
   * Refuses an invitation past the group's or the inviting person's limit for 24 hours. Both rows
   * are locked first, so concurrent invitations are counted one after the other.
   */
  private async holdInvitationLimits(em: EntityManager, groupId: string, userId: string): Promise<void> {
    await db(em).selectFrom('applicant_group').select('id').where('id', '=', groupId).forNoKeyUpdate().execute();
    await db(em).selectFrom('app_user').select('id').where('id', '=', userId).forNoKeyUpdate().execute();
    const since = new Date(Date.now() - DAY_MS);
    const sent = await db(em)
      .selectFrom('group_invitation')
      .select((eb) => [
        eb.cast<number>(eb.fn.countAll().filterWhere('group_id', '=', groupId), 'integer').as('by_group'),
        eb.cast<number>(eb.fn.countAll().filterWhere('invited_by', '=', userId), 'integer').as('by_person'),
      ])
      .where((eb) => eb.or([eb('group_id', '=', groupId), eb('invited_by', '=', userId)]))
      .where('created_at', '>', since)
      .executeTakeFirstOrThrow();
    const perGroup = this.config.MEMBER_INVITES_PER_GROUP_PER_DAY;
    const perPerson = this.config.MEMBER_INVITES_PER_PERSON_PER_DAY;
    if (sent.by_group >= perGroup) {
      throw DomainError.because(ErrorCode.TooManyRequests, [
        { key: 'invitations.groupLimit', params: { count: perGroup } },
      ]);
    }
    if (sent.by_person >= perPerson) {
      throw DomainError.because(ErrorCode.TooManyRequests, [
        { key: 'invitations.personLimit', params: { count: perPerson } },
      ]);
    }
  }

  async committee(callId: string): Promise<CommitteeView> {
    const em = this.orm.em.fork();
    const members = await em.find(CommitteeMember, { callId });
    const users = await em.find(User, { id: { $in: members.map((m) => m.userId) } }, { orderBy: { name: 'asc' } });
    return {
      callId,
      members: users.map((u) => ({
        userId: u.id,
        name: u.name,
        chair: members.some((m) => m.userId === u.id && m.chair),
      })),
    };
  }

  /** The programme's committee members, by name: the people a call's committee is chosen from. */
  async committeeCandidates(programmeId: string): Promise<{ userId: string; name: string }[]> {
    const users = await this.orm.em
      .fork()
      .find(User, { programmeId, role: 'committee' }, { orderBy: { name: 'asc', id: 'asc' }, fields: ['id', 'name'] });
    return users.map((u) => ({ userId: u.id, name: u.name }));
  }

  /** Replaces a call's committee: committee members of the call's programme, exactly one of them chairing. */
  async setCommittee(
    callId: string,
    programmeId: string,
    members: { userId: string; chair?: boolean }[],
  ): Promise<CommitteeView> {
    const chairs = members.filter((m) => m.chair).length;
    if (members.length > 0 && chairs !== 1) throw fieldRefused('members', 'committee.oneChair');
    if (new Set(members.map((m) => m.userId)).size !== members.length)
      throw fieldRefused('members', 'committee.listedTwice');
    await this.orm.em.fork().transactional(async (em) => {
      const users = await em.find(User, { id: { $in: members.map((m) => m.userId) }, role: 'committee', programmeId });
      const unknown = members.filter((m) => !users.some((u) => u.id === m.userId)).map((m) => m.userId);
      if (unknown.length > 0)
        throw fieldRefused('members', 'committee.notCommitteeMembers', { users: { list: unknown } });
      await em.nativeDelete(CommitteeMember, { callId });
      for (const m of members) em.create(CommitteeMember, { callId, userId: m.userId, chair: Boolean(m.chair) });
    });
    return this.committee(callId);
  }
}
