-- Up Migration
-- The ERP (Tryton) becomes a CDC source. Its parties join the vendor golden record: when an ERP party's tax
-- identifier proves that it is a vendor another system already knows, the two golden records are merged and
-- the one merged away points at the survivor (it stays, for the audit trail, but no longer counts).
alter table vendor add column merged_into_id uuid references vendor (id);
create index vendor_merged_into on vendor (merged_into_id) where merged_into_id is not null;
-- A journal entry's currency (its lines carry it too): the ERP sends move lines as rows of their own, and a
-- line takes its journal's currency.
alter table journal_entry add column currency char(3) references currency (code);
update journal_entry j set currency = (select l.currency from journal_line l where l.journal_entry_id = j.id limit 1);
