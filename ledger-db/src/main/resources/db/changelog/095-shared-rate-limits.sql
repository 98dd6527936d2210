--liquibase formatted sql

--changeset commdesk:095-rate-limit-bucket
-- The API's rate-limit buckets, shared by every API replica (docs/security.md, "Rate limits"): one row per
-- client (token subject or, without a token, address), Bucket4j's serialized token-bucket state, read and
-- written under SELECT ... FOR UPDATE by bucket4j_jdk17-postgresql. expires_at (epoch millis) is when an idle
-- bucket is full again and may be dropped; the API removes such rows in small batches as it goes.
create table rate_limit_bucket (
    id          text   primary key check (length(id) between 1 and 300),
    state       bytea  null,
    expires_at  bigint null
);
create index rate_limit_bucket_expires_idx on rate_limit_bucket (expires_at);
insert into runtime_access_policy (table_name, access, update_columns, why) values
    ('rate_limit_bucket', 'MUTABLE', '{}', 'rate-limit token buckets: rewritten on every request, idle ones deleted');
select ledger_apply_runtime_grants();
