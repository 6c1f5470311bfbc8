import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { IsText, Optional, type BodyExamples } from '../common/dto';
import { CurrentUser } from './auth.guard';
import { IsLinkFree } from './link-free';
import { IdentityService } from './identity.service';
import { CurrentUserView } from './identity.views';
import { LOCALES, type Locale } from '../../workflows/localised';
import type { AuthenticatedUser } from '../common/authenticated-user';

export class UpdateMeDto {
  /** The language of every email to this user. */
  @Optional()
  @IsIn(LOCALES)
  locale?: Locale;

  /** The name others' invitations show: no web or email address. */
  @Optional()
  @IsText(200)
  @IsLinkFree()
  name?: string;
}

const UPDATE_ME_EXAMPLES: BodyExamples<UpdateMeDto> = {
  nameAndLanguage: {
    summary: 'Write one’s name as colleagues know it, and read every email in Kyrgyz',
    value: { name: 'Айгүл Токтогулова', locale: 'ky' },
  },
};

@ApiTags('identity')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  constructor(private readonly identity: IdentityService) {}

  @Get()
  @ApiOperation({
    summary: 'The signed-in user: whom the bearer token or session cookie belongs to (any signed-in user)',
  })
  @ApiOkResponse({ type: CurrentUserView, description: 'the caller' })
  me(@CurrentUser() user: AuthenticatedUser): AuthenticatedUser {
    return user;
  }

  @Patch()
  @ApiOperation({ summary: 'Change the caller’s own name or language, nobody else’s (any signed-in user)' })
  @ApiBody({ type: UpdateMeDto, examples: UPDATE_ME_EXAMPLES })
  @ApiOkResponse({ type: CurrentUserView, description: 'the caller as changed' })
  update(@CurrentUser() user: AuthenticatedUser, @Body() dto: UpdateMeDto): Promise<AuthenticatedUser> {
    return this.identity.updateProfile(user.id, dto);
  }
}
