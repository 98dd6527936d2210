--liquibase formatted sql

--changeset commdesk:050-audit-log
-- Every write a person or service makes through the API (docs/security.md, "Audit log"): who (the
-- token's subject), in which role, what (method + route), on what (the request path), the digests of
-- the request and of the resulting representation, the request id and the time. Append-only.
create table audit_log (
    audit_id        bigint generated always as identity primary key,
    occurred_at     timestamptz not null default now(),
    actor           text        not null check (length(actor) between 1 and 255),
    actor_role      text        not null check (length(actor_role) between 1 and 64),
    action          text        not null check (length(action) between 1 and 300),
    target          text        not null check (length(target) between 1 and 2000),
    http_status     integer     not null check (http_status between 100 and 599),
    request_id      text        not null check (length(request_id) between 1 and 128),
    -- SHA-256 (hex) of the state before, when the endpoint knows it (e.g. the beneficiary replaced); else null.
    before_digest   text        null check (before_digest ~ '^[0-9a-f]{64}$'),
    -- SHA-256 (hex) of the request body as received, and of the response body (the state after).
    request_digest  text        null check (request_digest ~ '^[0-9a-f]{64}$'),
    after_digest    text        null check (after_digest ~ '^[0-9a-f]{64}$')
);
create index audit_log_actor on audit_log (lower(actor), audit_id);
create index audit_log_target on audit_log (target text_pattern_ops, audit_id);

--changeset commdesk:050-audit-log-guards splitStatements:false
create function audit_forbid_change() returns trigger language plpgsql as $$
begin
    raise exception 'audit_log is append-only: % is not allowed', tg_op using errcode = 'P0001';
end;
$$;
create trigger audit_log_append_only before update or delete on audit_log
    for each row execute function audit_forbid_change();
create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function audit_forbid_change();
-- Even a session that turns replication mode on cannot skip them.
alter table audit_log enable always trigger audit_log_append_only;
alter table audit_log enable always trigger audit_log_no_truncate;
