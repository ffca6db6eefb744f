/**
 * A CSV document (RFC 4180: quoted where needed, CRLF line ends) from a header row and the rows' cell texts. A cell
 * that a spreadsheet would run as a formula (starting with = + @, or - not followed by a digit) is prefixed with
 * an apostrophe: an exported message must not become code in someone's spreadsheet.
 */
export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const cell = (v: string) => {
    const safe = /^[=+@\t\r]/.test(v) || /^-(?!\d)/.test(v) ? `'${v}` : v;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
