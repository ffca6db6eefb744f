/** Thousands separators on a decimal string, without ever turning it into a float. */
export function formatAmount(amount: string): string {
  const negative = amount.startsWith('-');
  const [whole = '0', fraction] = (negative ? amount.slice(1) : amount).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '−' : ''}${grouped}${fraction !== undefined ? `.${fraction}` : ''}`;
}

/** Money as people read it: `1,250.00 EUR`. */
export function formatMoney(m: { readonly amount: string; readonly currency: string } | null | undefined): string {
  return m ? `${formatAmount(m.amount)} ${m.currency}` : '';
}

/** An age in the largest sensible unit: `45 s`, `12 min`, `5 h 03 min`, `3 d 4 h`. */
export function formatAge(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
  return `${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3600)} h`;
}

/** An ISO timestamp in UTC, to the second: `2026-12-07 23:41:14 UTC` (finance teams compare across time zones). */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** The hour of an ISO timestamp, for chart axes: `23:00`. */
export function formatHour(iso: string): string {
  return new Date(iso).toISOString().slice(11, 16);
}

/** The current month as a period, YYYY-MM. */
export function currentPeriod(now: Date = new Date()): string {
  return now.toISOString().slice(0, 7);
}
