import { OptionalProps } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/** An organisation that runs calls (the pilot's programme, a municipality's own fund). Its staff see only its data. */
@Entity({ tableName: 'programme' })
export class Programme {
  [OptionalProps]?: 'id' | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'text', unique: true })
  name!: string;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}

/** An initiative group: the applicant. Every member sees and acts on its applications. */
@Entity({ tableName: 'applicant_group' })
export class ApplicantGroup {
  [OptionalProps]?: 'id' | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'text' })
  name!: string;

  /** The aiyl aimak. */
  @Property({ type: 'text' })
  municipality!: string;

  @Property({ type: 'text' })
  oblast!: string;

  @Property({ type: 'uuid' })
  contactUserId!: string;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}

@Entity({ tableName: 'group_member' })
export class GroupMember {
  [OptionalProps]?: 'joinedAt';

  @PrimaryKey({ type: 'uuid' })
  groupId!: string;

  @PrimaryKey({ type: 'uuid' })
  userId!: string;

  @Property({ type: 'datetime' })
  joinedAt: Date = new Date();
}

/** A member of a call's grant committee; one of them chairs it. */
@Entity({ tableName: 'committee_member' })
export class CommitteeMember {
  [OptionalProps]?: 'chair';

  @PrimaryKey({ type: 'uuid' })
  callId!: string;

  @PrimaryKey({ type: 'uuid' })
  userId!: string;

  @Property({ type: 'boolean' })
  chair = false;
}

/** What a committee member declared about one application: a conflict (with its reason) or none. */
@Entity({ tableName: 'conflict_declaration' })
export class ConflictDeclaration {
  [OptionalProps]?: 'declaredAt' | 'reason';

  @PrimaryKey({ type: 'uuid' })
  applicationId!: string;

  @PrimaryKey({ type: 'uuid' })
  userId!: string;

  @Property({ type: 'boolean' })
  conflicted!: boolean;

  @Property({ type: 'text', nullable: true })
  reason?: string | null;

  @Property({ type: 'datetime' })
  declaredAt: Date = new Date();
}

/**
 * An invitation to join a group, kept whoever it went to. `linkId` is the sign-in link emailed
 * with it (null when nothing was sent: the address is programme staff's or a member's already);
 * signing in with that link makes the person a member.
 */
@Entity({ tableName: 'group_invitation' })
export class GroupInvitation {
  [OptionalProps]?: 'id' | 'createdAt' | 'linkId' | 'acceptedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  groupId!: string;

  /** Lower-cased, as given. */
  @Property({ type: 'text' })
  email!: string;

  /** The name the inviting member gave. */
  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'uuid' })
  invitedBy!: string;

  @Property({ type: 'uuid', nullable: true })
  linkId?: string | null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  acceptedAt?: Date | null;
}
