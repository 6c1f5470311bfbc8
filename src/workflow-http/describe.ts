import type { AnyStateMachine, AnyStateNode } from 'xstate';
import { stateNodes } from '../../workflows/inspect';
import type { StateMeta, WorkflowDefinition } from '../../workflows/kit';

export interface TransitionDescription {
  from: string;
  event: string;
  to: string[];
  guard?: string;
}

export interface WorkflowDescription {
  id: string;
  version: number;
  initial: string;
  states: { name: string; final: boolean; publicName?: string; timers: { event: string; at: string }[] }[];
  events: { type: string; senders: string[] }[];
  guards: string[];
  transitions: TransitionDescription[];
  mermaid: string;
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
