import type { FlowDefinition } from '../../registry';

/**
 * How each canonical object type is read as a flow document (`CanonicalDocument` plus `status`, `deleted`,
 * `changed_at`, `snapshot`): code named by the definition's `trigger.objectType`. `snapshot` is what is compared
 * after posting: a posted document whose snapshot changes is an exception naming the changed fields.
 */
const SELECTS: Readonly<
  Record<FlowDefinition['trigger']['objectType'], { table: string; status: string; number: string; select: string }>
> = {
  INVOICE: {
    table: 'invoice',
    status: 'd.status',
    number: 'd.number',
    select: `select d.id::text as "canonicalId", d.legal_entity_id as "legalEntityId", d.number,
        d.total_amount::text as amount, trim(d.currency) as currency, d.issue_date::text as "documentDate",
        d.correlation_id::text as "correlationId", d.version, d.status, d.deleted_at_source as deleted,
        d.canonical_updated_at as changed_at,
        jsonb_build_object('number', d.number, 'currency', trim(d.currency), 'issueDate', d.issue_date::text,
          'dueDate', d.due_date::text, 'subTotal', d.sub_total::text, 'taxAmount', d.total_tax_amount::text,
          'totalAmount', d.total_amount::text, 'isCreditNote', d.is_credit_note,
          'counterparty', coalesce(d.vendor_id, d.customer_id)::text,
          'lines', (select count(*)::int from invoice_line l where l.invoice_id = d.id),
          'lineTotal', (select coalesce(sum(l.total_amount), 0)::text from invoice_line l where l.invoice_id = d.id)
        ) as snapshot
      from invoice d`,
  },
  PAYMENT: {
    table: 'payment',
    status: 'd.status',
    number: "coalesce(d.reference, '')",
    select: `select d.id::text as "canonicalId", d.legal_entity_id as "legalEntityId", coalesce(d.reference, d.id::text) as number,
        d.total_amount::text as amount, trim(d.currency) as currency, d.payment_date::text as "documentDate",
        d.correlation_id::text as "correlationId", d.version, d.status, d.deleted_at_source as deleted,
        d.canonical_updated_at as changed_at,
        jsonb_build_object('reference', d.reference, 'currency', trim(d.currency), 'paymentDate', d.payment_date::text,
          'totalAmount', d.total_amount::text) as snapshot
      from payment d`,
  },
  JOURNAL_ENTRY: {
    table: 'journal_entry',
    status: 'd.posting_status',
    number: 'd.number',
    select: `select d.id::text as "canonicalId", d.legal_entity_id as "legalEntityId", d.number,
        (select coalesce(sum(l.debit), 0)::text from journal_line l where l.journal_entry_id = d.id) as amount,
        (select min(trim(l.currency)) from journal_line l where l.journal_entry_id = d.id) as currency,
        d.transaction_date::text as "documentDate", d.correlation_id::text as "correlationId", d.version,
        d.posting_status as status, d.deleted_at_source as deleted, d.canonical_updated_at as changed_at,
        jsonb_build_object('number', d.number, 'transactionDate', d.transaction_date::text,
          'lines', (select jsonb_agg(jsonb_build_object('account', l.account_code, 'dimensions', l.dimensions, 'debit', l.debit::text,
             'credit', l.credit::text, 'currency', trim(l.currency)) order by l.id)
             from journal_line l where l.journal_entry_id = d.id)) as snapshot
      from journal_entry d`,
  },
  VENDOR: {
    table: 'vendor',
    status: 'd.status',
    number: 'd.name',
    select: `select d.id::text as "canonicalId", d.legal_entity_id as "legalEntityId", d.name as number,
        null::text as amount, trim(d.currency) as currency, null::text as "documentDate",
        d.correlation_id::text as "correlationId", d.version, d.status, d.deleted_at_source as deleted,
        d.canonical_updated_at as changed_at, jsonb_build_object('name', d.name, 'taxId', d.tax_id) as snapshot
      from vendor d`,
  },
};

export const documentSelect = (flow: FlowDefinition) => SELECTS[flow.trigger.objectType];

/**
 * The flow's new documents: canonical records built from the trigger's source table, in a trigger state, not yet
 * the flow's (and not deleted at the source), numbered with the prefix (a test's own). At most $6 a pass.
 * $1 system, $2 table, $3 states, $4 number prefix (LIKE), $5 flow id, $6 limit, $7 definition version.
 */
export const discoverSql = (flow: FlowDefinition): string => {
  const { select, status, number } = documentSelect(flow);
  return `insert into flow_document (flow_id, canonical_id, legal_entity_id, number, amount, currency, definition_version,
                             state, waits_for, triggered_at, waiting_since, correlation_id)
    select $5, x."canonicalId"::uuid, x."legalEntityId", x.number, x.amount::numeric, x.currency, $7,
           'WAITING', 'its first pass', x.changed_at, now(), x."correlationId"::uuid
      from (${select}
              join source_reference r on r.canonical_id = d.id and r.object_type = '${flow.trigger.objectType}'
               and r.system = $1 and r.source_table = $2
             where ${status} = any($3::text[]) and not d.deleted_at_source and ${number} like $4
               and not exists (select 1 from flow_document f where f.flow_id = $5 and f.canonical_id = d.id)
             limit $6) x
    on conflict do nothing`;
};

/** The open documents of a flow (WAITING, IN_PROGRESS) with their canonical record: $1 flow id, $2 limit. */
export const openDocumentsSql = (flow: FlowDefinition): string => {
  const { select } = documentSelect(flow);
  return `select x.*, f.state as flow_state, f.action_reference, f.waits_for, f.exception_id::text as exception_id
      from flow_document f join (${select}) x on x."canonicalId"::uuid = f.canonical_id
     where f.flow_id = $1 and f.state in ('WAITING', 'IN_PROGRESS')
     order by f.triggered_at limit $2`;
};

/** Failed documents whose canonical record changed since (a fixed source row, a fixed mapping): tried again. */
export const retryChangedSql = (flow: FlowDefinition): string => {
  const { table, status } = documentSelect(flow);
  return `update flow_document f set state = 'WAITING', waits_for = 'tried again: its record changed since it failed',
        waiting_since = now(), updated_at = now()
      from ${table} d
     where f.flow_id = $1 and f.state = 'FAILED' and d.id = f.canonical_id and d.version > f.failed_version
       and ${status} = any($2::text[]) and not d.deleted_at_source`;
};

/** Posted documents whose canonical record moved on since: their snapshot is compared with the posted one. */
export const changedAfterDoneSql = (flow: FlowDefinition): string => {
  const { select } = documentSelect(flow);
  return `select x.*, f.done_snapshot, f.action_reference from flow_document f join (${select}) x on x."canonicalId"::uuid = f.canonical_id
     where f.flow_id = $1 and f.state = 'DONE' and (x.version > f.done_version or x.deleted) and f.changed_exception_id is null
     limit $2`;
};
