import { useCallback } from 'react';
import { useSearchParams } from 'react-router';

/**
 * A view's filters kept in the URL's query (so every page and filter has a URL to share, and the back button
 * undoes a filter). `defaults` are what an absent parameter means; values equal to their default are left out.
 */
export function useUrlFilters<K extends string>(defaults: Readonly<Record<K, string>>) {
  const [params, setParams] = useSearchParams();
  const values = Object.fromEntries(
    (Object.keys(defaults) as K[]).map((k) => [k, params.get(k) ?? defaults[k]]),
  ) as Record<K, string>;
  const set = useCallback(
    (changes: Partial<Record<K, string>>) =>
      setParams((prev) => {
        const next = new URLSearchParams(prev);
        for (const [k, v] of Object.entries(changes) as Array<[K, string | undefined]>) {
          if (v === undefined || v === defaults[k]) next.delete(k);
          else next.set(k, v);
        }
        return next;
      }),
    [setParams, defaults],
  );
  return [values, set] as const;
}

/** A comma-separated URL value as a list (empty: no filter, so null for GraphQL). */
export const listOf = (v: string): string[] | null => {
  const items = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return items.length ? items : null;
};
