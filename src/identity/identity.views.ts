import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role } from '../../workflows/kit';
import { LOCALES, type Locale } from '../../workflows/localised';
import type { AuthenticatedUser } from '../common/authenticated-user';

/** A person's account. */
export class UserView {
  @ApiProperty({ format: 'uuid', example: '0b7e4c1a-2f3d-4e5f-8a9b-0c1d2e3f4a5b' })
  id!: string;

  @ApiProperty({ format: 'email', description: 'stored in lower case', example: 'aigul.mamatova@example.kg' })
  email!: string;

  @ApiProperty({ example: 'Aigul Mamatova' })
  name!: string;

  @ApiProperty({ enum: ROLES, example: 'applicant' })
  role!: Role;

  @ApiProperty({ enum: LOCALES, description: 'the language of every email to this person', example: 'ky' })
  locale!: Locale;
}

/** The signed-in user, as every request resolves them. */
export class CurrentUserView extends UserView implements AuthenticatedUser {
  @ApiProperty({
    type: 'string',
    format: 'uuid',
    nullable: true,
    description: 'the programme a member of staff works for; null for applicants',
    example: null,
  })
  programmeId!: string | null;
}

/** A new session: the same one the session cookie holds, as a bearer token for API clients. */
export class SessionGrant {
  @ApiProperty({
    description: 'send as `Authorization: Bearer …` until it expires or is revoked',
    example: 'gws_Q2x8mT4vR7kN1pW9sB3dF6hJ0yL5cZaE',
  })
  token!: string;

  @ApiProperty({ format: 'date-time', example: '2026-03-02T21:15:00.000Z' })
  expiresAt!: string;

  @ApiProperty({ type: () => CurrentUserView })
  user!: CurrentUserView;
}

const SIGN_IN_LINK_MESSAGE =
  'If this address has an account, a sign-in link is on its way. It works once, for a short time.';

/** The one answer to asking for a sign-in link, whether or not the address is known. */
export class SignInLinkSentView {
  @ApiProperty({ example: SIGN_IN_LINK_MESSAGE })
  message!: string;
}

export const SIGN_IN_LINK_SENT: SignInLinkSentView = { message: SIGN_IN_LINK_MESSAGE };

/** What signing a person out everywhere ended. */
export class RevokedView {
  @ApiProperty({ type: 'integer', description: 'sessions and API tokens together', example: 3 })
  revoked!: number;

  @ApiProperty({ type: 'integer', description: 'sessions from sign-in links', example: 2 })
  sessions!: number;

  @ApiProperty({ type: 'integer', example: 1 })
  apiTokens!: number;
}
