import { Injectable } from '@nestjs/common';
import { WORKFLOWS } from '../../workflows';
import type { Role, WorkflowDefinition } from '../../workflows/kit';
import { DomainError } from '../common/domain-error';
import { acceptedEvents, canLoadVersion } from './machine-runtime';
import type { AnyMachineSnapshot } from 'xstate';

/** The machines the service runs, by id. */
@Injectable()
export class WorkflowRegistry {
  private readonly byId = new Map<string, WorkflowDefinition>(WORKFLOWS.map((w) => [w.id, w as WorkflowDefinition]));

  all(): WorkflowDefinition[] {
    return [...this.byId.values()];
  }

  get(machineId: string): WorkflowDefinition {
    const definition = this.byId.get(machineId);
    if (!definition) throw DomainError.notFound('workflow', machineId);
    return definition;
  }

  /** Events the caller's role may send now: accepted by the state and declared for the role. */
  allowedEvents(machineId: string, snapshot: AnyMachineSnapshot, role: Role | 'system'): string[] {
    const { senders } = this.get(machineId);
    return acceptedEvents(snapshot).filter((e) => role !== 'system' && (senders[e] ?? []).includes(role));
  }

  /** Names each (machine, version) pair among persisted instances this build cannot load. */
  unloadable(persisted: { machineId: string; machineVersion: number }[]): string[] {
    return persisted
      .filter(({ machineId, machineVersion }) => {
        const definition = this.byId.get(machineId);
        return !definition || !canLoadVersion(definition, machineVersion);
      })
      .map(({ machineId, machineVersion }) => {
        const current = this.byId.get(machineId)?.version;
        return current === undefined
          ? `${machineId} v${machineVersion} (no such machine in this build)`
          : `${machineId} v${machineVersion} (this build has v${current} and no migration from v${machineVersion})`;
      });
  }
}
