-- Up Migration
-- A retry a person asks for (exception_action RETRY) is carried out by the CDC pipeline: it takes the stored source
-- change through the pipeline again, in its own turn between batches, and records here when and how it ended
-- (APPLIED, REJECTED again, PARKED, or NOT_RETRYABLE when the exception holds no source change).
alter table exception_action add column processed_at timestamptz;
alter table exception_action add column outcome text;
create index exception_action_retry_pending on exception_action (id) where action = 'RETRY' and processed_at is null;
