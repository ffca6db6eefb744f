import { GraphQLError } from 'graphql';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Canonical ids are UUIDs; anything else is the client's error, naming the argument. */
export function assertUuid(id: string, argumentName: string): string {
  if (!UUID.test(id)) {
    throw new GraphQLError(`${argumentName}: "${id}" is not a canonical id (a UUID)`, {
      extensions: { code: 'BAD_USER_INPUT', argumentName },
    });
  }
  return id;
}

/** True for a UUID (entity representations from the gateway are checked, not trusted). */
export const isUuid = (id: string): boolean => UUID.test(id);

/** ISO 8601 text of a timestamp column, or null. */
export const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);
