import { Controller } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';

/** The ranking and the award decisions: both proposals side by side, the decision form, confirming. */
@ApiExcludeController()
@Controller()
export class DecisionPagesController {}
