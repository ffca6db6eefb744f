-- Up Migration
-- An invoice deleted at its source keeps its canonical row (audit trail) but no longer holds its number:
-- the source may issue the number again. The uniqueness indexes now cover live invoices only, matching
-- the INVOICE_NUMBER_UNIQUE validation rule.
drop index invoice_vendor_number;
drop index invoice_customer_number;
create unique index invoice_vendor_number on invoice (legal_entity_id, vendor_id, fiscal_year, number)
  where vendor_id is not null and not deleted_at_source;
create unique index invoice_customer_number on invoice (legal_entity_id, customer_id, fiscal_year, number)
  where customer_id is not null and not deleted_at_source;
