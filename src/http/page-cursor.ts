import { InvalidInputError } from '../kernel/errors/domain-error.js';

export type CursorKey = readonly (string | number)[];

/** An opaque keyset cursor: the sort key of the last row of a page. */
export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** The sort key inside a cursor this API returned, with the expected number of parts; anything else is a 400. */
export function decodeCursor(cursor: string, parts: number): CursorKey {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(decoded) && decoded.length === parts && decoded.every((p) => typeof p === 'string' || typeof p === 'number')) {
      return decoded as CursorKey;
    }
  } catch {
    // reported below
  }
  throw new InvalidInputError('REQUEST.INVALID', 'cursor is not one this API returned', { field: 'cursor' });
}
