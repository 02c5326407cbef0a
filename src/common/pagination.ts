import { SelectQueryBuilder, ObjectLiteral } from 'typeorm';
import { ValidationFailedError } from './errors';

export interface Page<T> {
  data: T[];
  /** The next (older) page; null on the last page. */
  nextCursor: string | null;
  /** The previous (newer) page; null on the first page. */
  prevCursor: string | null;
}

export interface PageQuery {
  limit?: number;
  cursor?: string;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;

/** Where a cursor points: rows older than the key (a nextCursor) or newer than it (a prevCursor). */
interface Cursor {
  createdAt: number;
  id: string;
  newer: boolean;
}

/**
 * Keyset pagination, newest first, on (createdAt, id): a page never shifts when rows are
 * inserted while a client walks the list, and no OFFSET scan grows with the page number.
 * A prevCursor walks the same key the other way (ascending), and toPage turns the rows back
 * into newest-first order.
 */
export function paginate<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  query: PageQuery,
  columns: { createdAt: string; id: string } = { createdAt: `${qb.alias}.createdAt`, id: `${qb.alias}.id` },
): SelectQueryBuilder<T> {
  const limit = pageSize(query.limit);
  const cursor = query.cursor ? decodeCursor(query.cursor) : null;
  const order = cursor?.newer ? 'ASC' : 'DESC';
  if (cursor) {
    const op = cursor.newer ? '>' : '<';
    qb.andWhere(`(${columns.createdAt} ${op} :cursorAt OR (${columns.createdAt} = :cursorAt AND ${columns.id} ${op} :cursorId))`, {
      cursorAt: cursor.createdAt,
      cursorId: cursor.id,
    });
  }
  return qb.orderBy(columns.createdAt, order).addOrderBy(columns.id, order).take(limit + 1);
}

/** The page of rows `paginate` fetched (one more than the limit tells whether the list goes on). */
export function toPage<R extends { createdAt: number; id: string }, T>(rows: R[], query: PageQuery, map: (row: R) => T): Page<T> {
  const limit = pageSize(query.limit);
  const cursor = query.cursor ? decodeCursor(query.cursor) : null;
  const more = rows.length > limit;
  const fetched = more ? rows.slice(0, limit) : rows;
  const kept = cursor?.newer ? fetched.reverse() : fetched;
  const newest = kept[0];
  const oldest = kept[kept.length - 1];
  // Walking back (newer), `more` says whether newer rows remain; walking on, whether older ones do.
  const olderExist = cursor?.newer ? true : more;
  const newerExist = cursor === null ? false : cursor.newer ? more : true;
  return {
    data: kept.map(map),
    nextCursor: olderExist ? encodeCursor(oldest ?? cursor!, false) : null,
    prevCursor: newerExist ? encodeCursor(newest ?? cursor!, true) : null,
  };
}

/** Rows whose `column` (epoch ms) lies in the range, both ends inclusive. */
export function whereBetween<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, column: string, range: { since?: number; until?: number }): SelectQueryBuilder<T> {
  if (range.since !== undefined) qb.andWhere(`${column} >= :since`, { since: range.since });
  if (range.until !== undefined) qb.andWhere(`${column} <= :until`, { until: range.until });
  return qb;
}

function pageSize(limit?: number): number {
  return Math.min(Math.max(limit ?? DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE);
}

/** `[createdAt, id]` walks older (the only form before prevCursor existed), `[createdAt, id, 1]` newer. */
function encodeCursor(key: { createdAt: number; id: string }, newer: boolean): string {
  return Buffer.from(JSON.stringify(newer ? [key.createdAt, key.id, 1] : [key.createdAt, key.id])).toString('base64url');
}

function decodeCursor(cursor: string): Cursor {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && typeof value[0] === 'number' && typeof value[1] === 'string' && (value.length === 2 || (value.length === 3 && value[2] === 1))) {
      return { createdAt: value[0], id: value[1], newer: value.length === 3 };
    }
  } catch {
    // fall through to the validation error
  }
  throw new ValidationFailedError([{ path: ['cursor'], code: 'invalid', message: 'cursor is not a cursor this API returned' }]);
}
