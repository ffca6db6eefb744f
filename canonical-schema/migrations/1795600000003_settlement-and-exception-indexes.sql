-- Up Migration
-- Settling an invoice sums its allocations: look them up by invoice, not by scanning every payment.
create index payment_allocation_invoice on payment_allocation (invoice_id);
-- A row that applies cleanly resolves its own open exceptions: find them without scanning the queue.
create index exception_open_source on exception (source_system, source_table, source_id) where status = 'OPEN';
