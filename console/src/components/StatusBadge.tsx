/** A status as a coloured label; the colour is a hint, the word says it. */
export function StatusBadge({ status }: { readonly status: string | null | undefined }) {
  if (!status) return null;
  return <span className={`badge badge-${status.toLowerCase().replace(/_/g, '-')}`}>{status.replace(/_/g, ' ')}</span>;
}
