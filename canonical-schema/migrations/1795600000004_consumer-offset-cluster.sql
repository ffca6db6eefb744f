-- Up Migration
-- Offsets are only meaningful on the Kafka cluster they were read from: a replaced broker (new cluster id)
-- restarts its topics at offset 0, and old offsets would make the consumer skip new messages. Rows written
-- without a cluster id (set by hand or by tools) apply to any cluster.
alter table consumer_offset add column cluster_id text;
