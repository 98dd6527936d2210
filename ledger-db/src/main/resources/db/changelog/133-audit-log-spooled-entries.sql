--liquibase formatted sql

--changeset commdesk:133-audit-log-spooled-entries
-- Why (left undone since s13): a write that committed and was then answered 5xx because the database went away had no
-- audit entry: its append failed with the database, or was not even tried (a 503 the handler took for "nothing
-- written"). The API now keeps an entry it cannot store on local disk and appends it when the database is back
-- (api DurableAudit). Each entry carries a key of its own, made by the API, so an append whose answer was lost and is
-- replayed from disk is stored once; answered_at is when the API answered, for an entry stored later than that
-- (occurred_at stays the database's clock, as for every entry). Both null on entries stored before this.
alter table audit_log add column entry_key uuid null;
alter table audit_log add column answered_at timestamptz null;
create unique index audit_log_entry_key on audit_log (entry_key) where entry_key is not null;

--changeset commdesk:133-database-identity
-- Why (review of the spool, M1): the API keeps audit entries it could not store in a directory per database, and named
-- it by the server's address, which changes when a replica is promoted; entries kept before a failover were never
-- appended. The books' own id instead: made once here, the same on every replica and in a restored copy (the same books),
-- read-only to the application.
create table database_identity (
    singleton   boolean     primary key default true check (singleton),
    database_id uuid        not null default gen_random_uuid(),
    created_at  timestamptz not null default now()
);
insert into database_identity default values;
insert into runtime_access_policy (table_name, access, update_columns, why) values
    ('database_identity', 'READ_ONLY', '{}', 'the books'' own id, made once by 133 (the audit spool''s directory)');
select ledger_apply_runtime_grants();
