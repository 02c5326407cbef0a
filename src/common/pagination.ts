import { SelectQueryBuilder, ObjectLiteral } from 'typeorm';
import { ValidationFailedError } from './errors';

export interface Page<T> {
  data: T[];
  /** The next page (older, or newer with `order: 'asc'`); null on the last page. */
  nextCursor: string | null;
  /** The previous page; null on the first page. */
  prevCursor: string | null;
}

export interface PageQuery {
  limit?: number;
  cursor?: string;
  /** `desc` (default): newest first; `asc`: oldest first. A cursor continues the walk in the order asked. */
  order?: 'asc' | 'desc';
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;

/** Where a cursor points: past the key in the list's order (a nextCursor), or back before it (a prevCursor). */
interface Cursor {
  createdAt: number;
  id: string;
  back: boolean;
}

/**
 * Keyset pagination on (createdAt, id), newest first unless `order` is `asc`: a page never shifts
 * when rows are inserted while a client walks the list, and no OFFSET scan grows with the page number.
 * A prevCursor walks the same key the other way, and toPage turns those rows back into the list's order.
 */
export function paginate<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  query: PageQuery,
  columns: { createdAt: string; id: string } = { createdAt: `${qb.alias}.createdAt`, id: `${qb.alias}.id` },
): SelectQueryBuilder<T> {
  const limit = pageSize(query.limit);
  const cursor = query.cursor ? decodeCursor(query.cursor) : null;
  const ascending = (query.order === 'asc') !== (cursor?.back ?? false);
  if (cursor) {
    const op = ascending ? '>' : '<';
    qb.andWhere(`(${columns.createdAt} ${op} :cursorAt OR (${columns.createdAt} = :cursorAt AND ${columns.id} ${op} :cursorId))`, {
      cursorAt: cursor.createdAt,
      cursorId: cursor.id,
    });
  }
  const direction = ascending ? 'ASC' : 'DESC';
  return qb.orderBy(columns.createdAt, direction).addOrderBy(columns.id, direction).take(limit + 1);
}

/** The page of rows `paginate` fetched (one more than the limit tells whether the walk goes on). */
export function toPage<R extends { createdAt: number; id: string }, T>(rows: R[], query: PageQuery, map: (row: R) => T): Page<T> {
  const limit = pageSize(query.limit);
  const cursor = query.cursor ? decodeCursor(query.cursor) : null;
  const more = rows.length > limit;
  const fetched = more ? rows.slice(0, limit) : rows;
  const kept = cursor?.back ? fetched.reverse() : fetched;
  const first = kept[0];
  const last = kept[kept.length - 1];
  // Walking back, `more` says whether earlier rows remain; walking on, whether later ones do.
  const laterExist = cursor?.back ? true : more;
  const earlierExist = cursor === null ? false : cursor.back ? more : true;
  return {
    data: kept.map(map),
    nextCursor: laterExist ? encodeCursor(last ?? cursor!, false) : null,
    prevCursor: earlierExist ? encodeCursor(first ?? cursor!, true) : null,
  };
}

/** Rows whose `column` (epoch ms) lies in the range, both ends inclusive. */
export function whereBetween<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, column: string, range: { since?: number; until?: number }): SelectQueryBuilder<T> {
  if (range.since !== undefined) qb.andWhere(`${column} >= :since`, { since: range.since });
  if (range.until !== undefined) qb.andWhere(`${column} <= :until`, { until: range.until });
  return qb;
}

export function pageSize(limit?: number): number {
  return Math.min(Math.max(limit ?? DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE);
}

/** The cursor that continues a walk after this row, in the walk's order. */
export function cursorOf(row: { createdAt: number; id: string }): string {
  return encodeCursor(row, false);
}

/** `[createdAt, id]` walks on (the only form before prevCursor existed), `[createdAt, id, 1]` back. */
function encodeCursor(key: { createdAt: number; id: string }, back: boolean): string {
  return Buffer.from(JSON.stringify(back ? [key.createdAt, key.id, 1] : [key.createdAt, key.id])).toString('base64url');
}

function decodeCursor(cursor: string): Cursor {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && typeof value[0] === 'number' && typeof value[1] === 'string' && (value.length === 2 || (value.length === 3 && value[2] === 1))) {
      return { createdAt: value[0], id: value[1], back: value.length === 3 };
    }
  } catch {
    // fall through to the validation error
  }
  throw new ValidationFailedError([{ path: ['cursor'], code: 'invalid', message: 'cursor is not a cursor this API returned' }]);
}
