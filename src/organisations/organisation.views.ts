import { ApiProperty } from '@nestjs/swagger';

const INVITATION_MESSAGE =
  'If this address can join the group, an invitation to sign in is on its way; the person becomes a member when they sign in with it.';

/** A member of an initiative group. */
export class MemberView {
  @ApiProperty({ format: 'uuid', description: 'the member’s user id', example: '0b7e4c1a-2f3d-4e5f-8a9b-0c1d2e3f4a5b' })
  userId!: string;

  @ApiProperty({ example: 'Aigul Mamatova' })
  name!: string;

  @ApiProperty({ format: 'email', example: 'aigul.mamatova@example.kg' })
  email!: string;
}

/** An invitation not yet accepted, whoever it went to: it looks the same for every address. */
export class InvitationView {
  @ApiProperty({ format: 'email', example: 'bakyt.osmonov@example.kg' })
  email!: string;

  @ApiProperty({ description: 'the name the inviting member gave', example: 'Bakyt Osmonov' })
  name!: string;

  @ApiProperty({ format: 'date-time', example: '2026-02-20T07:45:00.000Z' })
  invitedAt!: string;

  @ApiProperty({
    format: 'date-time',
    description: 'after this the invitation’s link no longer works, and it is no longer listed',
    example: '2026-02-23T07:45:00.000Z',
  })
  expiresAt!: string;
}

/** An initiative group: the applicants. Every member sees and acts on the group's applications. */
export class GroupView {
  @ApiProperty({ format: 'uuid', example: '3c8a5e17-4d2b-4f6a-8e9c-1b0d7a2f5c64' })
  id!: string;

  @ApiProperty({ example: 'Kara-Suu Youth Initiative' })
  name!: string;

  @ApiProperty({ description: 'the aiyl aimak where the group works', example: 'Kara-Suu' })
  municipality!: string;

  @ApiProperty({ example: 'Osh' })
  oblast!: string;

  @ApiProperty({
    format: 'uuid',
    description: 'the contact person, who started the group',
    example: '0b7e4c1a-2f3d-4e5f-8a9b-0c1d2e3f4a5b',
  })
  contactUserId!: string;

  @ApiProperty({ type: () => [MemberView], description: 'in the order they joined' })
  members!: MemberView[];

  @ApiProperty({
    type: () => [InvitationView],
    description: 'invitations still open to addresses not yet members, newest first',
  })
  invitations!: InvitationView[];
}

/** The one answer to inviting a member, whatever the address. */
export class InvitationSentView {
  @ApiProperty({ example: INVITATION_MESSAGE })
  message!: string;
}

export const INVITATION_SENT: InvitationSentView = { message: INVITATION_MESSAGE };

/** A seat on a call's grant committee. */
export class CommitteeSeatView {
  @ApiProperty({ format: 'uuid', example: '9d1f6b3a-7c2e-4a85-b0d4-3e6f8a1c2b57' })
  userId!: string;

  @ApiProperty({ example: 'Nurlan Sadykov' })
  name!: string;

  @ApiProperty({ description: 'exactly one member of a committee chairs it', example: true })
  chair!: boolean;
}

/** A call's grant committee: its members' names are for the programme's staff and the committee only. */
export class CommitteeView {
  @ApiProperty({ format: 'uuid', example: '8a3f1c52-9d4e-4b7a-a1f0-6c2e5d8b9047' })
  callId!: string;

  @ApiProperty({ type: () => [CommitteeSeatView], description: 'by name; empty before the committee is set' })
  members!: CommitteeSeatView[];
}
