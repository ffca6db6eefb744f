import type { TrytonConnector } from '../../erp/tryton/trytonConnector';
import { trytonDate } from '../../erp/tryton/trytonJson';

/**
 * A date a test can give an invoice it posts into the shared Tryton: Tryton numbers a company's invoices with a
 * strict sequence per fiscal year, in date order (accounting date, else invoice date), and refuses to number one
 * dated before the last it numbered ("you must set an accounting date after …"). The tests that share its database
 * post invoices of many dates; this one takes `floor` or, when the company has numbered an invoice dated later in
 * that year, the latest such date.
 */
export async function invoiceDateInTryton(erp: TrytonConnector, company: number, floor: string): Promise<string> {
  const year = floor.slice(0, 4);
  const latest = async (field: 'invoice_date' | 'accounting_date') => {
    const [row] = await erp.client.read<Array<Record<string, string | null>>>(
      'model.account.invoice.search_read',
      [
        [
          ['company', '=', company],
          ['number', '!=', null],
          [field, '>=', trytonDate(`${year}-01-01`)],
          [field, '<=', trytonDate(`${year}-12-31`)],
        ],
        0,
        1,
        [[field, 'DESC']],
        [field],
      ],
      { company },
    );
    return row?.[field] ?? null;
  };
  const used = [await latest('invoice_date'), await latest('accounting_date')].filter((d): d is string => !!d);
  return [floor, ...used].sort().pop()!;
}
