/** Cursor pagination: an opaque cursor holding (created_at, id) of the last item of a page. */
import { Type } from '@sinclair/typebox';
import { AppError } from '../core/errors.js';

export const PageQuery = Type.Object(
  {
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$', description: 'Items per page, 1–100 (default 20).' })),
    cursor: Type.Optional(Type.String({ maxLength: 200, description: '`next_cursor` of the previous page.' })),
  },
  { additionalProperties: true },
);

export function pageLimit(raw: string | undefined): number {
  const limit = raw === undefined ? 20 : Number(raw);
  if (!(limit >= 1 && limit <= 100)) throw new AppError('invalid_request', 'limit must be between 1 and 100.');
  return limit;
}

export function encodeCursor(position: { createdAt: number; id: string }): string {
  return Buffer.from(`${position.createdAt}:${position.id}`).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): { createdAt: number; id: string } | undefined {
  if (!cursor) return undefined;
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^(\d+):([A-Za-z0-9_]+)$/.exec(decoded);
  if (!match) throw new AppError('invalid_request', 'cursor is not one this API gave out; pass next_cursor unchanged.');
  return { createdAt: Number(match[1]), id: match[2] };
}

/**
 * A list answer's page: `rows` were read with `limit + 1` so that one more row says another page
 * follows; its cursor is the position of the page's last row.
 */
export function cutPage<Row>(
  rows: Row[],
  limit: number,
  positionOf: (row: Row) => { createdAt: number; id: string },
): { page: Row[]; has_more: boolean; next_cursor: string | null } {
  const page = rows.slice(0, limit);
  const hasMore = rows.length > limit;
  return { page, has_more: hasMore, next_cursor: hasMore ? encodeCursor(positionOf(page[page.length - 1])) : null };
}
