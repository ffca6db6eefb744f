import { useClient } from 'urql';
import {
  AssignExceptionMutation,
  IgnoreExceptionMutation,
  ResolveExceptionMutation,
  RetryExceptionMutation,
} from './operations';

export type ExceptionAction = 'retry' | 'resolve' | 'ignore' | 'assign';

/** What an action did to each exception it was asked for: done, or refused with the API's words. */
export interface ActionOutcome {
  readonly done: number;
  readonly refused: ReadonlyArray<{ readonly id: string; readonly message: string }>;
}

/**
 * Retry, resolve, ignore or assign one or many exceptions with one reason (each is its own audited mutation; the
 * API refuses what the principal may not do, and a refusal is reported, not hidden).
 */
export function useExceptionActions() {
  const client = useClient();
  return async (
    action: ExceptionAction,
    ids: readonly string[],
    reason: string,
    owner = '',
  ): Promise<ActionOutcome> => {
    let done = 0;
    const refused: Array<{ id: string; message: string }> = [];
    for (const id of ids) {
      const result =
        action === 'retry'
          ? (await client.mutation(RetryExceptionMutation, { id, reason }).toPromise()).data?.retryException
          : action === 'resolve'
            ? (await client.mutation(ResolveExceptionMutation, { id, reason }).toPromise()).data?.resolveException
            : action === 'ignore'
              ? (await client.mutation(IgnoreExceptionMutation, { id, reason }).toPromise()).data?.ignoreException
              : (await client.mutation(AssignExceptionMutation, { id, reason, owner: owner || null }).toPromise()).data
                  ?.assignException;
      if (!result) refused.push({ id, message: 'the request failed' });
      else if (result.userErrors.length)
        refused.push({ id, message: result.userErrors.map((e) => e.message).join('; ') });
      else done += 1;
    }
    return { done, refused };
  };
}
