import type { CombinedError } from 'urql';

/** A query's error in words, or a loading line; nothing once data is there. */
export function QueryState({ fetching, error, what }: { fetching: boolean; error?: CombinedError; what: string }) {
  if (error) {
    const forbidden = error.graphQLErrors.some((e) => e.extensions?.code === 'FORBIDDEN');
    return (
      <p className="error" role="alert">
        {forbidden
          ? `Your roles do not allow you to see ${what}.`
          : `Could not load ${what}: ${error.graphQLErrors[0]?.message ?? error.networkError?.message ?? error.message}`}
      </p>
    );
  }
  return fetching ? <p className="loading">Loading {what}…</p> : null;
}
