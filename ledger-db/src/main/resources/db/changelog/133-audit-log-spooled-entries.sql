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
