--liquibase formatted sql

--changeset commdesk:113-refund-mismatch-vote
-- Issue 10 (docs/payments.md "Refunds", step 4): a refund whose Cashfree record has another amount or order is held
-- NEEDS_ATTENTION with the money reserved until two finance approvers agree what Cashfree's dashboard shows: PAID (our
-- amount left for our refund: booked as paid) or RELEASED (Cashfree did not refund ours: the reservation goes back).
-- Each vote is a row here, kept for ever (the audit of who said what and what Cashfree's reference was); the refund's
-- workflow is told only once the second, agreeing vote is written. At most two votes, by two different people (any
-- letter case), neither the refund's requester, the second with the first's outcome.
create table refund_mismatch_vote (
    refund_id          text        not null references refund_request (refund_id),
    vote_no            smallint    not null check (vote_no in (1, 2)),
    outcome            text        not null check (outcome in ('PAID', 'RELEASED')),
    voted_by           text        not null check (length(voted_by) between 1 and 128),
    reason             text        not null check (length(btrim(reason)) between 1 and 500),
    cashfree_reference text        not null check (length(btrim(cashfree_reference)) between 1 and 128),
    voted_at           timestamptz not null default now(),
    primary key (refund_id, vote_no)
);
create unique index refund_mismatch_vote_person_idx on refund_mismatch_vote (refund_id, lower(voted_by));

--changeset commdesk:113-refund-mismatch-vote-guards splitStatements:false
-- Four eyes and agreement, held by the database as well as the API: the voter is not the refund's requester, the
-- second vote agrees with the first, votes are numbered 1 then 2. Append-only: nothing is changed or deleted.
create function refund_mismatch_vote_check() returns trigger language plpgsql as $$
declare
    requester text;
    first_outcome text;
begin
    select requested_by into requester from refund_request where refund_id = new.refund_id;
    if lower(requester) = lower(new.voted_by) then
        raise exception 'refund_mismatch_vote %: the refund''s requester may not resolve it', new.refund_id using errcode = 'P0001';
    end if;
    if new.vote_no = 2 then
        select outcome into first_outcome from refund_mismatch_vote where refund_id = new.refund_id and vote_no = 1;
        if first_outcome is null or first_outcome <> new.outcome then
            raise exception 'refund_mismatch_vote %: the second vote must agree with a first', new.refund_id using errcode = 'P0001';
        end if;
    end if;
    return new;
end;
$$;
create trigger refund_mismatch_vote_checked before insert on refund_mismatch_vote
    for each row execute function refund_mismatch_vote_check();
create trigger refund_mismatch_vote_append_only before update or delete on refund_mismatch_vote
    for each row execute function ledger_forbid_change();
create trigger refund_mismatch_vote_no_truncate before truncate on refund_mismatch_vote
    for each statement execute function ledger_forbid_change();
insert into runtime_access_policy (table_name, access, update_columns, why) values
    ('refund_mismatch_vote', 'APPEND_ONLY', '{}',
     'finance''s two-person resolution of a refund Cashfree holds with another amount or order (113): votes are never changed');
select ledger_apply_runtime_grants();

--changeset commdesk:113-refund-mismatch-vote-search-path splitStatements:false
-- The guard reads refund_request and refund_mismatch_vote by name: pinned to this schema (temporary tables last), as
-- every guard is (015, 107), so a session's temporary table of the same name cannot stand in for them (review s7 M1).
do $$
begin
    execute format('alter function refund_mismatch_vote_check() set search_path = %I, pg_catalog, pg_temp', current_schema());
end $$;
