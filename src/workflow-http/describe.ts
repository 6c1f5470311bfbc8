import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { AnyStateMachine, AnyStateNode } from 'xstate';
import { stateNodes } from '../../workflows/inspect';
import { ROLES, type StateMeta, type TimerSpec, type WorkflowDefinition } from '../../workflows/kit';

/** A durable timer of a state: the service sends `event` when the time in context field `at` is reached. */
export class StateTimer implements TimerSpec {
  @ApiProperty({ example: 'CLOSE' })
  event!: string;

  @ApiProperty({ description: 'the context field that holds the time', example: 'closesAt' })
  at!: string;
}

export class StateDescription {
  @ApiProperty({ description: 'the state’s path, dotted for a nested state', example: 'more_info' })
  name!: string;

  @ApiProperty({ description: 'a final state ends the workflow', example: false })
  final!: boolean;

  @ApiPropertyOptional({
    description: 'the state in plain words, as applicants read it; left out for a state without one',
    example: 'needs your answer',
  })
  publicName?: string;

  @ApiProperty({ type: () => [StateTimer], description: 'empty for a state without timers' })
  timers!: StateTimer[];
}

export class EventDescription {
  @ApiProperty({ example: 'SUBMIT' })
  type!: string;

  @ApiProperty({
    enum: [...ROLES, 'system'],
    isArray: true,
    description: 'the roles that may send it over HTTP; `system` alone for an event only the service sends',
    example: ['applicant'],
  })
  senders!: string[];
}

export class TransitionDescription {
  @ApiProperty({ example: 'draft' })
  from!: string;

  @ApiProperty({ example: 'SUBMIT' })
  event!: string;

  @ApiProperty({
    type: [String],
    description: 'the target states; empty for a transition that stays in `from`',
    example: ['submitted'],
  })
  to!: string[];

  @ApiPropertyOptional({
    description: 'the guard that must pass; left out for an unguarded transition',
    example: 'submissionComplete',
  })
  guard?: string;
}

/** A machine described from its own definition: states, events and who may send them, guards, transitions. */
export class WorkflowDescription {
  @ApiProperty({ example: 'application' })
  id!: string;

  @ApiProperty({
    type: 'integer',
    description: 'rises when the machine changes; persisted snapshots are migrated to it',
    example: 2,
  })
  version!: number;

  @ApiProperty({ example: 'draft' })
  initial!: string;

  @ApiProperty({ type: () => [StateDescription], description: 'the leaf states' })
  states!: StateDescription[];

  @ApiProperty({ type: () => [EventDescription] })
  events!: EventDescription[];

  @ApiProperty({
    type: [String],
    description: 'by name',
    example: ['awardWithinLimits', 'budgetWithinMaxAward', 'submissionComplete'],
  })
  guards!: string[];

  @ApiProperty({ type: () => [TransitionDescription] })
  transitions!: TransitionDescription[];

  @ApiProperty({
    description: 'a Mermaid state diagram drawn from the machine definition',
    example:
      'stateDiagram-v2\n  [*] --> draft\n  draft --> submitted : SUBMIT [submissionComplete]\n  withdrawn --> [*]',
  })
  mermaid!: string;
}

const name = (node: AnyStateNode) => node.path.join('.');

const leafNodes = (machine: AnyStateMachine) =>
  stateNodes(machine.root).filter((node) => Object.keys(node.states).length === 0);

function transitionsOf(machine: AnyStateMachine): TransitionDescription[] {
  return stateNodes(machine.root).flatMap((node) =>
    [...node.transitions.values()].flat().map((t) => {
      const guard = typeof t.guard === 'string' ? t.guard : (t.guard as { type?: string } | undefined)?.type;
      return { from: name(node), event: t.eventType, to: (t.target ?? []).map(name), ...(guard ? { guard } : {}) };
    }),
  );
}

/** A Mermaid state diagram drawn from the machine definition itself. */
export function mermaidOf(machine: AnyStateMachine): string {
  const id = (s: string) => s.replace(/\./g, '__');
  const lines = ['stateDiagram-v2', `  [*] --> ${id(String(machine.root.initial?.target[0]?.path.join('.') ?? ''))}`];
  for (const t of transitionsOf(machine)) {
    for (const to of t.to.length ? t.to : [t.from]) {
      lines.push(`  ${id(t.from)} --> ${id(to)} : ${t.event}${t.guard ? ` [${t.guard}]` : ''}`);
    }
  }
  for (const node of leafNodes(machine)) if (node.type === 'final') lines.push(`  ${id(name(node))} --> [*]`);
  return lines.join('\n');
}

export function describeWorkflow(definition: WorkflowDefinition): WorkflowDescription {
  const { machine } = definition;
  const transitions = transitionsOf(machine);
  const eventTypes = [...new Set(transitions.map((t) => t.event))].filter((e) => !e.startsWith('xstate.'));
  return {
    id: definition.id,
    version: definition.version,
    initial: String(machine.root.initial?.target[0]?.path.join('.') ?? ''),
    states: leafNodes(machine).map((node) => {
      const meta = (node.meta ?? {}) as StateMeta;
      return { name: name(node), final: node.type === 'final', publicName: meta.publicName, timers: meta.timers ?? [] };
    }),
    events: eventTypes.map((type) => ({ type, senders: [...(definition.senders[type] ?? ['system'])] })),
    guards: Object.keys(machine.implementations.guards).sort(),
    transitions,
    mermaid: mermaidOf(machine),
  };
}
