import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { describeWorkflow, WorkflowDescription } from './describe';
import { WorkflowRegistry } from '../engine/registry';

@ApiTags('workflows')
@Controller('workflows')
export class WorkflowsController {
  constructor(private readonly registry: WorkflowRegistry) {}

  @Get()
  @ApiOperation({
    summary:
      'Every workflow machine: states, events with who may send them, guards, and a Mermaid diagram (any signed-in user)',
  })
  @ApiOkResponse({ type: [WorkflowDescription], description: 'call, application, disbursement, report and review' })
  list(): WorkflowDescription[] {
    return this.registry.all().map(describeWorkflow);
  }

  @Get(':machine')
  @ApiOperation({ summary: 'One workflow machine by its id, e.g. `application` (any signed-in user)' })
  @ApiOkResponse({ type: WorkflowDescription, description: 'the machine as its definition describes it' })
  one(@Param('machine') machine: string): WorkflowDescription {
    return describeWorkflow(this.registry.get(machine));
  }
}
