import { toCsv } from './csv';

describe('toCsv', () => {
  it('quotes what needs quoting and ends lines with CRLF', () => {
    expect(
      toCsv(['Code', 'Message'], [['PERIOD_CLOSED', 'Invoice "S1-PI-1", dated 2025-06-20\nis in a closed period']]),
    ).toBe('Code,Message\r\nPERIOD_CLOSED,"Invoice ""S1-PI-1"", dated 2025-06-20\nis in a closed period"\r\n');
  });

  it('keeps a spreadsheet from running a cell as a formula, but leaves negative amounts alone', () => {
    expect(toCsv(['a', 'b', 'c', 'd'], [['=HYPERLINK("x")', '+1', '-12.50', '-cmd']])).toBe(
      'a,b,c,d\r\n"\'=HYPERLINK(""x"")",\'+1,-12.50,\'-cmd\r\n',
    );
  });
});
