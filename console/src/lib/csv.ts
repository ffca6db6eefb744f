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

/** Offers the text as a file download. */
export function download(filename: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
