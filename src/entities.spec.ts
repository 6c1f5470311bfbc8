import { MikroORM } from '@mikro-orm/core';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { ENTITIES, ENTITY_TABLES } from './entities';

// The Kysely `Database` type names each table by its key in ENTITY_TABLES and each column by its
// property's name, underscored (MikroORM's `SnakeCase`); these checks hold the ORM's mapping to the same.
const underscored = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

describe('the tables the Kysely database type names', () => {
  // Discovery only: the constructor reads the metadata without connecting.
  const orm = new MikroORM({ driver: PostgreSqlDriver, clientUrl: 'postgres://127.0.0.1:1/none', entities: ENTITIES });

  it('are the tables the entities map', () => {
    for (const [table, entity] of Object.entries(ENTITY_TABLES)) {
      expect(orm.getMetadata().get<object>(entity).tableName).toBe(table);
    }
  });

  it("have each property's column under its underscored name", () => {
    const columns = ENTITIES.flatMap((entity) => orm.getMetadata().get<object>(entity).props);
    expect(columns.length).toBeGreaterThan(ENTITIES.length);
    for (const prop of columns) expect(prop.fieldNames).toEqual([underscored(prop.name)]);
  });
});
