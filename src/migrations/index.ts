import { Migration20261123000000_foundation } from './Migration20261123000000_foundation';

/** Every migration, in order. Listed explicitly so the compiled service and the tests run the same set. */
export const MIGRATIONS = [
  { name: 'Migration20261123000000_foundation', class: Migration20261123000000_foundation },
];
