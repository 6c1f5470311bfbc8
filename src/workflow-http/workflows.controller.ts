import { Controller, Get, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { describeWorkflow, type WorkflowDescription } from './describe';
import { WorkflowRegistry } from '../engine/registry';

@ApiTags('workflows')
@Controller('workflows')
export class WorkflowsController {
  constructor(private readonly registry: WorkflowRegistry) {}

  /** Every machine: states, events with who may send them, guards, and a Mermaid diagram. */
  @Get()
  list(): WorkflowDescription[] {
    return this.registry.all().map(describeWorkflow);
  }

  @Get(':machine')
  one(@Param('machine') machine: string): WorkflowDescription {
    return describeWorkflow(this.registry.get(machine));
  }
}
