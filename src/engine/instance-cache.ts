import { LRUCache } from 'lru-cache';
import { WorkflowInstance } from './engine.entities';

export type InstanceRef = { id: string } | { subjectType: string; subjectId: string };

const subjectKey = (subjectType: string, subjectId: string) => `${subjectType}:${subjectId}`;

/**
 * Instances as this process last wrote them, so a transition on a hot instance needs no read.
 * Never trusted on its own: every write is checked against the version in the database, and the
 * engine redoes from the database any transition computed on an entry another process outdated.
 */
export class InstanceCache {
  private readonly byId = new LRUCache<string, WorkflowInstance>({ max: 10_000 });
  private readonly idBySubject = new LRUCache<string, string>({ max: 10_000 });

  /** A copy the caller may change freely; the snapshot inside is replaced, never mutated, by the engine. */
  get(target: InstanceRef): WorkflowInstance | undefined {
    const id = 'id' in target ? target.id : this.idBySubject.get(subjectKey(target.subjectType, target.subjectId));
    const cached = id === undefined ? undefined : this.byId.get(id);
    return cached && Object.assign(new WorkflowInstance(), cached);
  }

  remember(instance: WorkflowInstance): void {
    this.idBySubject.set(subjectKey(instance.subjectType, instance.subjectId), instance.id);
    this.byId.set(instance.id, Object.assign(new WorkflowInstance(), instance));
  }

  forget(id: string): void {
    this.byId.delete(id);
  }
}
