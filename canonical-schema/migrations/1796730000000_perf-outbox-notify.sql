-- Up Migration
-- The outbox relay (cdc/outbox/runOutboxRelay.ts) is woken when outbox rows are committed instead of finding them at
-- its next poll (every 200 ms: ~100 ms of every event's freshness on average). One notification per inserting
-- statement, delivered at commit (never for a rolled-back insert); whoever inserts (the CDC pipeline, the posting
-- functions in the gateway, the posting worker, flows) wakes it. The payload is empty: the relay reads the table.
create or replace function outbox_notify() returns trigger language plpgsql as $$
begin
  perform pg_notify('finsync_outbox', '');
  return null;
end
$$;

create trigger outbox_notify after insert on outbox for each statement execute function outbox_notify();
