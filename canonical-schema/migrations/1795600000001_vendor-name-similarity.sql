-- Up Migration
-- Duplicate-vendor detection compares normalized names by trigram similarity (pg_trgm, shipped with
-- PostgreSQL's contrib modules); the index keeps that lookup fast as the vendor list grows.
create extension if not exists pg_trgm;
create index vendor_normalized_name_trgm on vendor using gin (normalized_name gin_trgm_ops);
