import { GraphQLError } from 'graphql';

/**
 * Relay cursors: an opaque base64url of the row's sort key and id, so a page continues after the last row seen
 * (keyset pagination) whatever is inserted meanwhile.
 */
export function encodeCursor(sortValue: string | null, id: string): string {
  return Buffer.from(JSON.stringify([sortValue, id]), 'utf8').toString('base64url');
}

/** The sort key and id in a cursor; a cursor that is not one of ours is the client's error, named as such. */
export function decodeCursor(cursor: string): { sortValue: string | null; id: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      (typeof value[0] === 'string' || value[0] === null) &&
      typeof value[1] === 'string'
    ) {
      return { sortValue: value[0], id: value[1] };
    }
  } catch {
    // fall through to the user error
  }
  throw new GraphQLError(`after: "${cursor}" is not a cursor returned by this API`, {
    extensions: { code: 'BAD_USER_INPUT', argumentName: 'after' },
  });
}
