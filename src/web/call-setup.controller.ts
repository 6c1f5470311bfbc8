import { Controller } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';

/** A programme manager's call setup: the call's terms as a task list, publish and cancel. */
@ApiExcludeController()
@Controller()
export class CallSetupPagesController {}
