-- Up Migration
-- Several CDC processes in one consumer group (issue 16). Each instance (`FINSYNC_INSTANCE`, e.g. cdc-2) records the
-- Kafka group member id it joined with. An instance started again after a crash (SIGKILL, OOM) finds its
-- predecessor's member id here and asks the group coordinator to remove that member at once, instead of waiting for
-- the dead member's session to expire: kafkajs has no static membership, this gives it the same effect.
create table cdc_member (
  group_id    text not null,
  instance    text not null,
  member_id   text not null,
  pid         integer not null,
  host        text not null,
  joined_at   timestamptz not null default now(),
  primary key (group_id, instance)
);
