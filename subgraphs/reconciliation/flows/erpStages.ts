import type { FlowScope } from './FlowDefinition';

/** The ERP stage of a flow: the count and totals of what is posted in the ERP, or why there is none. */
export type ErpStage =
  | { readonly status: 'NOT_APPLICABLE'; readonly note: string }
  | { readonly status: 'PENDING'; readonly note: string }
  | {
      readonly status: 'AVAILABLE';
      /** Posted documents by source id (the canonical record's TARGET reference). */
      readonly records: ReadonlyArray<{ sourceId: string; currency: string; amount: string; erpDocument: string }>;
    };

/** How the ERP stage of one flow is read. */
export type ErpStageReader = (scope: FlowScope) => Promise<ErpStage>;

const notYet: ErpStageReader = async () => ({
  status: 'NOT_APPLICABLE',
  note: 'Nothing is posted to the ERP yet: the posting worker (issue 5) will fill this stage from its posted documents.',
});

/**
 * The hook for the ERP stage, one function per flow. Until postings exist every flow reports NOT_APPLICABLE, and
 * the flow's status is decided by the source and canonical stages alone. The posting worker replaces an entry with
 * a reader of the posted documents (source_reference role TARGET, or Tryton's account_move via CDC); reconcileFlow
 * then compares canonical → ERP as it compares source → canonical (MISSING_IN_ERP, AMOUNT_DIFFERS).
 */
export const ERP_STAGES: Readonly<Record<string, ErpStageReader>> = {
  BILLING_INVOICES: notYet,
  BILLING_PAYMENTS: notYet,
  PROCUREMENT_SUPPLIER_INVOICES: notYet,
  PAYROLL_JOURNALS: notYet,
  PROCUREMENT_SUPPLIERS: notYet,
};
