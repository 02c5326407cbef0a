import { SelectQueryBuilder, ObjectLiteral } from 'typeorm';
import { ValidationFailedError } from './errors';

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export interface PageQuery {
  limit?: number;
  cursor?: string;
  /** `desc` (default): newest first; `asc`: oldest first. A cursor continues the walk in the order asked. */
  order?: 'asc' | 'desc';
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;

/**
 * Keyset pagination on (createdAt, id), newest first unless `order` is `asc`: a page never shifts
 * when rows are inserted while a client walks the list, and no OFFSET scan grows with the page number.
 */
export function paginate<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  query: PageQuery,
  columns: { createdAt: string; id: string } = { createdAt: `${qb.alias}.createdAt`, id: `${qb.alias}.id` },
): SelectQueryBuilder<T> {
  const limit = pageSize(query.limit);
  const ascending = query.order === 'asc';
  if (query.cursor) {
    const [createdAt, id] = decodeCursor(query.cursor);
    const past = ascending ? '>' : '<';
    qb.andWhere(`(${columns.createdAt} ${past} :cursorAt OR (${columns.createdAt} = :cursorAt AND ${columns.id} ${past} :cursorId))`, {
      cursorAt: createdAt,
      cursorId: id,
    });
  }
  const direction = ascending ? 'ASC' : 'DESC';
  return qb.orderBy(columns.createdAt, direction).addOrderBy(columns.id, direction).take(limit + 1);
}

export function toPage<R extends { createdAt: number; id: string }, T>(rows: R[], query: PageQuery, map: (row: R) => T): Page<T> {
  const limit = pageSize(query.limit);
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const last = kept[kept.length - 1];
  return { data: kept.map(map), nextCursor: more && last ? encodeCursor(last.createdAt, last.id) : null };
}

export function pageSize(limit?: number): number {
  return Math.min(Math.max(limit ?? DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE);
}

/** The cursor that continues a walk after this row. */
export function cursorOf(row: { createdAt: number; id: string }): string {
  return encodeCursor(row.createdAt, row.id);
}

function encodeCursor(createdAt: number, id: string): string {
  return Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');
}

function decodeCursor(cursor: string): [number, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && typeof value[0] === 'number' && typeof value[1] === 'string') return [value[0], value[1]];
  } catch {
    // fall through to the validation error
  }
  throw new ValidationFailedError([{ path: ['cursor'], code: 'invalid', message: 'cursor is not a cursor this API returned' }]);
}
