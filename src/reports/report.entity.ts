import { OptionalProps } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

export type ReportKind = 'interim' | 'final';

/** An interim or final account of a grant's activities and spending. */
@Entity({ tableName: 'report' })
export class Report {
  [OptionalProps]?: 'id' | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Index()
  @Property({ type: 'uuid' })
  applicationId!: string;

  @Property({ type: 'text' })
  kind!: ReportKind;

  @Property({ type: 'datetime' })
  dueAt!: Date;

  @Property({ type: 'datetime' })
  overdueAt!: Date;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
