import { Controller } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';

/** A programme manager's dashboard, the applications list with its CSV export, and the email outbox. */
@ApiExcludeController()
@Controller()
export class ManagePagesController {}
