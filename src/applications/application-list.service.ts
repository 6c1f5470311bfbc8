import { Injectable } from '@nestjs/common';
import { MikroORM, type EntityManager } from '@mikro-orm/core';
import { sql } from 'kysely';
import type { Database } from '../common/kysely';
import { applicationsWithInstance } from './application-queries';
import { formatAmount } from '../common/money';
import { decodeCursor, encodeCursor, type ListSort } from './list-cursor';
import type { AuthenticatedUser } from '../common/authenticated-user';
import type { ApplicationPage } from './application.views';

export { LIST_SORTS, type ListSort } from './list-cursor';

export interface ListFilters {
  callId?: string;
  states?: string[];
  municipality?: string;
  /** Words of the title. */
  q?: string;
  sort?: ListSort;
  order?: 'asc' | 'desc';
  limit?: number;
  cursor?: string;
}

// The column each sort reads, and the type a cursor's value is read as: the value is bound as text.
const SORT_COLUMNS: Record<
  ListSort,
  { column: `a.${keyof Database['application'] & string}`; type: 'timestamptz' | 'text' | 'bigint' }
> = {
  created: { column: 'a.created_at', type: 'timestamptz' },
  title: { column: 'a.title', type: 'text' },
  requested: { column: 'a.requested_minor', type: 'bigint' },
  reference: { column: 'a.reference', type: 'text' },
};

type ListQuery = ReturnType<typeof listQuery>;

// The rows a page reads: an application with its state and its group's name.
function listQuery(em: EntityManager) {
  return applicationsWithInstance(em)
    .innerJoin('applicant_group as g', 'g.id', 'a.group_id')
    .select([
      'a.id',
      'a.reference',
      'a.call_id',
      'a.group_id',
      'g.name as group_name',
      'a.title',
      'a.municipality',
      'a.requested_minor',
      'a.currency',
      'i.state',
      'a.created_at',
    ]);
}

/**
 * The applications a user's role reaches: their groups' own; their programme's, for its staff; their
 * calls' minus those they declared a conflict on, for committee members.
 */
function inScope(query: ListQuery, user: AuthenticatedUser): ListQuery {
  switch (user.role) {
    case 'applicant':
      return query.where((eb) =>
        eb(
          'a.group_id',
          'in',
          eb.selectFrom('group_member as m').select('m.group_id').where('m.user_id', '=', user.id),
        ),
      );
    case 'manager':
    case 'finance': {
      const { programmeId } = user;
      // Staff with no programme reach nothing, as `programme_id = null` would say.
      return programmeId === null ? query.where(sql.lit(false)) : query.where('a.programme_id', '=', programmeId);
    }
    case 'committee':
      // A committee member reads an application once they have declared no conflict with it; the
      // list to declare on is GET /calls/{id}/review.
      return query.where((eb) =>
        eb.and([
          eb(
            'a.call_id',
            'in',
            eb.selectFrom('committee_member as k').select('k.call_id').where('k.user_id', '=', user.id),
          ),
          eb.exists(
            eb
              .selectFrom('conflict_declaration as d')
              .select(sql.lit(1).as('one'))
              .whereRef('d.application_id', '=', 'a.id')
              .where('d.user_id', '=', user.id)
              .where((eb) => eb.not(eb.ref('d.conflicted'))),
          ),
        ]),
      );
  }
}

/** The applications a caller may see, filtered, sorted and paged. */
@Injectable()
export class ApplicationListService {
  constructor(private readonly orm: MikroORM) {}

  /**
   * The applications the caller may see (see `inScope`), filtered, sorted (newest first by default)
   * and paged by a cursor that holds the last row's sort value and id.
   */
  async list(user: AuthenticatedUser, filters: ListFilters = {}): Promise<ApplicationPage> {
    const sortBy = filters.sort ?? 'created';
    const sort = SORT_COLUMNS[sortBy];
    const order = filters.order ?? (filters.sort === undefined || filters.sort === 'created' ? 'desc' : 'asc');
    const limit = filters.limit ?? 50;
    let query = inScope(listQuery(this.orm.em.fork()), user);
    if (filters.callId) query = query.where('a.call_id', '=', filters.callId);
    if (filters.states?.length) query = query.where('i.state', 'in', filters.states);
    if (filters.municipality) query = query.where('a.municipality', '=', filters.municipality);
    // Case folded by ICU's root locale, not the database's: a server made with the C locale folds only ASCII.
    if (filters.q) {
      const pattern = `%${filters.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query = query.where(
        (eb) => sql<boolean>`(${eb.ref('a.title')} collate "und-x-icu") ilike ${pattern} escape '\\'`,
      );
    }
    if (filters.cursor) {
      const { value, id } = decodeCursor(sortBy, filters.cursor);
      query = query.where((eb) =>
        eb(
          eb.refTuple(sort.column, 'a.id'),
          order === 'desc' ? '<' : '>',
          eb.tuple(eb.cast<string>(eb.val(value), sort.type), eb.cast<string>(eb.val(id), 'uuid')),
        ),
      );
    }
    const rows = await query
      .orderBy(sort.column, order)
      .orderBy('a.id', order)
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const sortValue = (r: (typeof rows)[number]) =>
      ({
        created: new Date(r.created_at).toISOString(),
        title: r.title,
        requested: String(r.requested_minor),
        reference: r.reference,
      })[sortBy];
    return {
      items: page.map((r) => ({
        id: r.id,
        reference: r.reference,
        callId: r.call_id,
        group: { id: r.group_id, name: r.group_name },
        title: r.title,
        municipality: r.municipality,
        state: r.state,
        requestedAmount: formatAmount(Number(r.requested_minor), r.currency),
        currency: r.currency,
        createdAt: new Date(r.created_at).toISOString(),
      })),
      nextCursor: rows.length > limit && last ? encodeCursor(sortBy, { value: sortValue(last), id: last.id }) : null,
    };
  }
}
