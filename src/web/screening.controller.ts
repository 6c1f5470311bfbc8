import { Controller } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';

/** Screening a call's submitted applications: eligible, ineligible with a reason, or questions. */
@ApiExcludeController()
@Controller()
export class ScreeningPagesController {}
