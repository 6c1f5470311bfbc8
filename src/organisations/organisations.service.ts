import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import { DomainError, ErrorCode } from '../common/domain-error';
import { validationFailed } from '../common/validation';
import { User, type Locale } from '../identity/identity.entities';
import { IdentityService, type AuthenticatedUser } from '../identity/identity.service';
import { SignInService } from '../identity/sign-in.service';
import { ApplicantGroup, CommitteeMember, GroupMember } from './organisation.entities';

export interface MemberView {
  id: string;
  name: string;
  email: string;
}

export interface GroupView {
  id: string;
  name: string;
  municipality: string;
  oblast: string;
  contactUserId: string;
  members: MemberView[];
}

export interface CommitteeView {
  callId: string;
  members: { userId: string; name: string; chair: boolean }[];
}

@Injectable()
export class OrganisationsService {
  constructor(
    private readonly orm: MikroORM,
    private readonly identity: IdentityService,
    private readonly signIn: SignInService,
  ) {}

  /** A new initiative group, with its creator as first member and contact person. */
  async createGroup(founder: AuthenticatedUser, fields: { name: string; municipality: string; oblast: string }): Promise<string> {
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
    return {
      id,
      name: group.name,
      municipality: group.municipality,
      oblast: group.oblast,
      contactUserId: group.contactUserId,
      members: members.map((m) => users.find((u) => u.id === m.userId) as User).map((u) => ({ id: u.id, name: u.name, email: u.email })),
    };
  }

  /** The groups the user belongs to. */
  async groupsOf(userId: string): Promise<GroupView[]> {
    const memberships = await this.orm.em.fork().find(GroupMember, { userId }, { orderBy: { joinedAt: 'asc' } });
    return Promise.all(memberships.map((m) => this.group(m.groupId)));
  }

  /**
   * Adds a member to a group: an existing applicant by address, or a new account, which is emailed
   * an invitation to sign in.
   */
  async addMember(groupId: string, by: AuthenticatedUser, person: { email: string; name: string; locale?: Locale }): Promise<GroupView> {
    await this.orm.em.fork().transactional(async (em) => {
      const email = person.email.trim().toLowerCase();
      let user = await em.findOne(User, { email });
      if (user && user.role !== 'applicant') throw validationFailed([{ field: 'email', problems: ['this address belongs to programme staff, not to an applicant'] }]);
      if (!user) {
        user = await this.identity.insertUser(em, { email, name: person.name, role: 'applicant', locale: person.locale });
        this.signIn.queueLink(em, user, 'invitation', by.name);
      }
      if (await em.count(GroupMember, { groupId, userId: user.id })) throw new DomainError(ErrorCode.Conflict, `${email} is already a member`);
      em.create(GroupMember, { groupId, userId: user.id });
    });
    return this.group(groupId);
  }

  async committee(callId: string): Promise<CommitteeView> {
    const em = this.orm.em.fork();
    const members = await em.find(CommitteeMember, { callId });
    const users = await em.find(User, { id: { $in: members.map((m) => m.userId) } }, { orderBy: { name: 'asc' } });
    return { callId, members: users.map((u) => ({ userId: u.id, name: u.name, chair: members.some((m) => m.userId === u.id && m.chair) })) };
  }

  /** Replaces a call's committee: committee members of the call's programme, exactly one of them chairing. */
  async setCommittee(callId: string, programmeId: string, members: { userId: string; chair?: boolean }[]): Promise<CommitteeView> {
    const chairs = members.filter((m) => m.chair).length;
    if (members.length > 0 && chairs !== 1) throw validationFailed([{ field: 'members', problems: ['exactly one member chairs the committee'] }]);
    if (new Set(members.map((m) => m.userId)).size !== members.length) throw validationFailed([{ field: 'members', problems: ['a member is listed twice'] }]);
    await this.orm.em.fork().transactional(async (em) => {
      const users = await em.find(User, { id: { $in: members.map((m) => m.userId) }, role: 'committee', programmeId });
      const unknown = members.filter((m) => !users.some((u) => u.id === m.userId)).map((m) => m.userId);
      if (unknown.length > 0) throw validationFailed([{ field: 'members', problems: [`not committee members of this programme: ${unknown.join(', ')}`] }]);
      await em.nativeDelete(CommitteeMember, { callId });
      for (const m of members) em.create(CommitteeMember, { callId, userId: m.userId, chair: Boolean(m.chair) });
    });
    return this.committee(callId);
  }
}
