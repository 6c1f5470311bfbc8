import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import type { Role } from '../../workflows/kit';
import { formatAmount } from '../common/money';
import { sqlRows } from '../common/sql';
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
const SORT_COLUMNS: Record<ListSort, { column: string; type: string }> = {
  created: { column: 'a.created_at', type: 'timestamptz' },
  title: { column: 'a.title', type: 'text' },
  requested: { column: 'a.requested_minor', type: 'bigint' },
  reference: { column: 'a.reference', type: 'text' },
};

/** The applications a caller may see, filtered, sorted and paged. */
@Injectable()
export class ApplicationListService {
  constructor(private readonly orm: MikroORM) {}

  /**
   * The applications the caller may see: their groups' own; their programme's, for its staff; their
   * calls' minus those they declared a conflict on, for committee members. Filtered, sorted (newest
   * first by default) and paged by a cursor that holds the last row's sort value and id.
   */
  async list(user: AuthenticatedUser, filters: ListFilters = {}): Promise<ApplicationPage> {
    const scope: Record<Role, [string, unknown[]]> = {
      applicant: ['a.group_id in (select m.group_id from group_member m where m.user_id = ?)', [user.id]],
      manager: ['a.programme_id = ?', [user.programmeId]],
      finance: ['a.programme_id = ?', [user.programmeId]],
      // A committee member reads an application once they have declared no conflict with it; the
      // list to declare on is GET /calls/{id}/review.
      committee: [
        `a.call_id in (select k.call_id from committee_member k where k.user_id = ?)
         and exists (select 1 from conflict_declaration d where d.application_id = a.id and d.user_id = ? and not d.conflicted)`,
        [user.id, user.id],
      ],
    };
    const sortBy = filters.sort ?? 'created';
    const sort = SORT_COLUMNS[sortBy];
    const order = filters.order ?? (filters.sort === undefined || filters.sort === 'created' ? 'desc' : 'asc');
    const limit = filters.limit ?? 50;
    const where: [string, unknown[]][] = [scope[user.role]];
    if (filters.callId) where.push(['a.call_id = ?', [filters.callId]]);
    if (filters.states?.length) where.push(['i.state in (?)', [filters.states]]);
    if (filters.municipality) where.push(['a.municipality = ?', [filters.municipality]]);
    // Case folded by ICU's root locale, not the database's: a server made with the C locale folds only ASCII.
    if (filters.q)
      where.push([
        `(a.title collate "und-x-icu") ilike ? escape '\\'`,
        [`%${filters.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`],
      ]);
    if (filters.cursor) {
      const { value, id } = decodeCursor(sortBy, filters.cursor);
      where.push([`(${sort.column}, a.id) ${order === 'desc' ? '<' : '>'} (?::${sort.type}, ?::uuid)`, [value, id]]);
    }
    const rows = await sqlRows<{
      id: string;
      reference: string;
      call_id: string;
      group_id: string;
      group_name: string;
      title: string;
      municipality: string;
      requested_minor: string;
      currency: string;
      state: string;
      created_at: Date;
    }>(
      this.orm.em.fork(),
      `select a.id, a.reference, a.call_id, a.group_id, g.name as group_name, a.title, a.municipality, a.requested_minor, a.currency, i.state, a.created_at
         from application a
         join workflow_instance i on i.subject_type = 'application' and i.subject_id = a.id
         join applicant_group g on g.id = a.group_id
        where ${where.map(([sql]) => `(${sql})`).join(' and ')}
        order by ${sort.column} ${order}, a.id ${order}
        limit ?`,
      [...where.flatMap(([, params]) => params), limit + 1],
    );
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
