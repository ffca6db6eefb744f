import { Decimal } from '../../../canonical-schema/money/Decimal';
import { isUuid } from '../../shared/ids';
import { money } from '../../shared/money';
import { FLOWS } from '../flows/flows';
import { paymentMatchStatus } from '../reconcile/paymentMatchStatus';
import type { Ctx } from './Ctx';

const NOT_APPLICABLE = {
  status: 'NOT_APPLICABLE',
  flowId: null,
  differences: [],
  erpStatus: 'NOT_APPLICABLE',
} as const;

/** `reconciliation` on a canonical entity: its own status, differences and open exceptions. */
async function recordReconciliation(ref: { id: string }, _: unknown, ctx: Ctx) {
  const r = isUuid(ref.id) ? await ctx.loaders.record.load(ref.id) : NOT_APPLICABLE;
  return {
    status: r.status,
    flow: FLOWS.find((f) => f.id === r.flowId) ?? null,
    differences: r.differences,
    openExceptions: isUuid(ref.id) ? await ctx.loaders.openExceptions.load(ref.id) : [],
    erpStatus: r.erpStatus,
  };
}

const reference = (ref: { id: string }) => ref;

/** The reconciliation fields this subgraph adds to the other subgraphs' entities. */
export const entityResolvers = {
  Invoice: {
    __resolveReference: reference,
    reconciliation: recordReconciliation,
    paymentMatch: async (ref: { id: string }, _: unknown, ctx: Ctx) => {
      const m = isUuid(ref.id) ? await ctx.loaders.paymentMatch.load(ref.id) : null;
      if (!m) return null;
      return {
        status: paymentMatchStatus(m.total_amount, m.paid_amount),
        invoiceTotal: money(m.total_amount, m.currency),
        paidAmount: money(m.paid_amount, m.currency),
        openBalance: money(new Decimal(m.total_amount).minus(m.paid_amount).toFixed(), m.currency),
        settledPayments: m.settled_payments,
        pendingPayments: m.pending_payments,
      };
    },
  },
  Payment: { __resolveReference: reference, reconciliation: recordReconciliation },
  JournalEntry: { __resolveReference: reference, reconciliation: recordReconciliation },
  Vendor: { __resolveReference: reference, reconciliation: recordReconciliation },
};
