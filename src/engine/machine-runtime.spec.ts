import { applicationWorkflow } from '../../workflows/application.machine';
import type { WorkflowDefinition } from '../../workflows/kit';
import { canLoadVersion, migrateSnapshot, stateKey, type PersistedSnapshot } from './machine-runtime';

// A machine at version 3 whose snapshots from versions 1 and 2 can be migrated: v1 called the
// state "received", v2 renamed it "submitted" and v3 added a context field.
const v3: WorkflowDefinition = {
  ...applicationWorkflow,
  version: 3,
  migrations: {
    1: (s) => ({ ...s, value: s.value === 'received' ? 'submitted' : s.value }),
    2: (s) => ({ ...s, context: { ...(s.context as object), reason: null } }),
  },
};

describe('snapshot versions', () => {
  it('loads the current version and any older one with a migration chain to it', () => {
    expect(canLoadVersion(v3, 3)).toBe(true);
    expect(canLoadVersion(v3, 2)).toBe(true);
    expect(canLoadVersion(v3, 1)).toBe(true);
    expect(canLoadVersion(v3, 4)).toBe(false);
    expect(canLoadVersion({ ...v3, migrations: { 2: v3.migrations[2] } }, 1)).toBe(false);
  });

  it('migrates a snapshot through every version in order', () => {
    const old: PersistedSnapshot = { value: 'received', context: { title: 'Well' }, status: 'active' };
    expect(migrateSnapshot(v3, 1, old)).toEqual({
      value: 'submitted',
      context: { title: 'Well', reason: null },
      status: 'active',
    });
    expect(migrateSnapshot(v3, 3, old)).toBe(old);
  });

  it('names nested states with dots', () => {
    expect(stateKey('draft')).toBe('draft');
    expect(stateKey({ grant: { reporting: 'due' } })).toBe('grant.reporting.due');
  });
});
