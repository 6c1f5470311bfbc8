import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from './auth.guard';
import type { AuthenticatedUser } from './identity.service';

@ApiTags('identity')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  /** The user the bearer token belongs to. */
  @Get()
  me(@CurrentUser() user: AuthenticatedUser): AuthenticatedUser {
    return user;
  }
}
