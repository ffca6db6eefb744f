-- Tryton's database as a CDC source (system "erp", connector stack/connect/connectors/erp.json): the tables
-- finsync captures, with their whole before image on update/delete (REPLICA IDENTITY FULL), and the publication
-- Debezium reads (publication.autocreate.mode=disabled: only these tables, not Tryton's ~300 others).
-- Idempotent: stack/tryton/up.sh applies it on every run once the database is initialised; changing the list
-- here changes the publication on the next run. See docs/tryton-source.md.
do $$
declare
  captured text[] := array['party_party', 'party_identifier', 'account_invoice', 'account_invoice_line',
                           'account_invoice_tax', 'account_move', 'account_move_line', 'account_payment',
                           'account_period', 'account_account'];
  t text;
begin
  foreach t in array captured loop
    if (select relreplident from pg_class where oid = format('public.%I', t)::regclass) <> 'f' then
      execute format('alter table public.%I replica identity full', t);
    end if;
  end loop;
  if not exists (select 1 from pg_publication where pubname = 'finsync_erp') then
    execute 'create publication finsync_erp for table ' ||
      (select string_agg(format('public.%I', x), ', ') from unnest(captured) x);
  elsif (select array_agg(tablename::text order by tablename) from pg_publication_tables where pubname = 'finsync_erp')
        is distinct from (select array_agg(x order by x) from unnest(captured) x) then
    execute 'alter publication finsync_erp set table ' ||
      (select string_agg(format('public.%I', x), ', ') from unnest(captured) x);
  end if;
end
$$;
