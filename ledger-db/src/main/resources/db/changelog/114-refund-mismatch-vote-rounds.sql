--liquibase formatted sql

--changeset commdesk:114-refund-mismatch-vote-rounds
-- Review s7 round 2 M2 (docs/payments.md "Refunds", step 4). Two gaps in finance's two-person resolution (113):
-- 1. a vote could not be withdrawn, so a mistaken first vote blocked the other outcome for ever: a withdrawal is now a
--    row of its own (refund_mismatch_vote_withdrawal, below), never a change of the vote; a withdrawn vote no longer
--    counts, and the voter may vote again;
-- 2. votes were not tied to one hold: a ready resolution whose signal was dropped (the workflow was asking Cashfree
--    again after an operator's RETRY) was re-sent for 2 days and would have acted on a later hold of the same refund.
--    Each vote now carries the round it was cast in: the workflow's count of its mismatch holds, as the API read it
--    (RefundWorkflow.mismatchHold), in hold_round. Votes count, are listed ready and are re-sent only for the refund's
--    latest round; the workflow ignores a resolution for another round. A vote without a round (those recorded before
--    this changeset) is a vote of round 1, here and in RefundMismatchVotes.
-- A refund may now have more than two votes (withdrawn ones, earlier rounds): vote_no numbers them in order, and the
-- one-vote-per-person rule holds per round among the votes not withdrawn (the trigger below, no longer an index).
alter table refund_mismatch_vote add column hold_round integer check (hold_round >= 1);
alter table refund_mismatch_vote drop constraint refund_mismatch_vote_vote_no_check;
alter table refund_mismatch_vote add constraint refund_mismatch_vote_vote_no_check check (vote_no >= 1);
drop index refund_mismatch_vote_person_idx;

-- A withdrawal: the voter's own vote, before the round is ready (two agreeing votes not withdrawn). Kept for ever.
create table refund_mismatch_vote_withdrawal (
    refund_id    text        not null,
    vote_no      smallint    not null,
    withdrawn_by text        not null check (length(withdrawn_by) between 1 and 128),
    reason       text        not null check (length(btrim(reason)) between 1 and 500),
    withdrawn_at timestamptz not null default now(),
    primary key (refund_id, vote_no),
    foreign key (refund_id, vote_no) references refund_mismatch_vote (refund_id, vote_no)
);

--changeset commdesk:114-refund-mismatch-vote-round-guards splitStatements:false
-- The rules of 113 per round, held by the database as well as the API: the voter is not the refund's requester; votes
-- are numbered 1, 2, 3... in order; no vote for a round before the refund's latest; among the round's votes not
-- withdrawn, one per person (any letter case), at most two, the second agreeing with the first. A withdrawal: by the
-- voter only, and never once its round is ready. Both take a per-refund transaction lock first, so two sessions cannot
-- both pass the checks (the API also holds the payment's row lock); append-only as before.
create or replace function refund_mismatch_vote_check() returns trigger language plpgsql as $$
declare
    requester text;
    latest integer;
    live_count integer;
    live_outcome text;
    next_no integer;
begin
    perform pg_advisory_xact_lock(hashtextextended('refund_mismatch_vote:' || new.refund_id, 0));
    select requested_by into requester from refund_request where refund_id = new.refund_id;
    if lower(requester) = lower(new.voted_by) then
        raise exception 'refund_mismatch_vote %: the refund''s requester may not resolve it', new.refund_id using errcode = 'P0001';
    end if;
    select coalesce(max(vote_no), 0) + 1, max(coalesce(hold_round, 1)) into next_no, latest
        from refund_mismatch_vote where refund_id = new.refund_id;
    if new.vote_no <> next_no then
        raise exception 'refund_mismatch_vote %: votes are numbered in order, the next is %', new.refund_id, next_no using errcode = 'P0001';
    end if;
    if latest is not null and coalesce(new.hold_round, 1) < latest then
        raise exception 'refund_mismatch_vote %: round % is over, the refund''s votes are for round %', new.refund_id, new.hold_round, latest
            using errcode = 'P0001';
    end if;
    if exists (select 1 from refund_mismatch_vote v where v.refund_id = new.refund_id and coalesce(v.hold_round, 1) = coalesce(new.hold_round, 1)
               and lower(v.voted_by) = lower(new.voted_by)
               and not exists (select 1 from refund_mismatch_vote_withdrawal w where w.refund_id = v.refund_id and w.vote_no = v.vote_no)) then
        raise exception 'refund_mismatch_vote %: % already voted in round % (withdraw that vote first)', new.refund_id, new.voted_by, new.hold_round
            using errcode = 'P0001';
    end if;
    select count(*), min(v.outcome) into live_count, live_outcome from refund_mismatch_vote v
        where v.refund_id = new.refund_id and coalesce(v.hold_round, 1) = coalesce(new.hold_round, 1)
          and not exists (select 1 from refund_mismatch_vote_withdrawal w where w.refund_id = v.refund_id and w.vote_no = v.vote_no);
    if live_count >= 2 then
        raise exception 'refund_mismatch_vote %: round % is already resolved by two votes', new.refund_id, new.hold_round using errcode = 'P0001';
    end if;
    if live_count = 1 and live_outcome <> new.outcome then
        raise exception 'refund_mismatch_vote %: the second vote must agree with the first', new.refund_id using errcode = 'P0001';
    end if;
    return new;
end;
$$;

create function refund_mismatch_vote_withdrawal_check() returns trigger language plpgsql as $$
declare
    voter text;
    vote_round integer;
    live_count integer;
begin
    perform pg_advisory_xact_lock(hashtextextended('refund_mismatch_vote:' || new.refund_id, 0));
    select voted_by, coalesce(hold_round, 1) into voter, vote_round from refund_mismatch_vote
        where refund_id = new.refund_id and vote_no = new.vote_no;
    if voter is null then
        raise exception 'refund_mismatch_vote_withdrawal %: no vote %', new.refund_id, new.vote_no using errcode = 'P0001';
    end if;
    if lower(voter) <> lower(new.withdrawn_by) then
        raise exception 'refund_mismatch_vote_withdrawal %: only the voter may withdraw their vote', new.refund_id using errcode = 'P0001';
    end if;
    select count(*) into live_count from refund_mismatch_vote v
        where v.refund_id = new.refund_id and coalesce(v.hold_round, 1) = vote_round
          and not exists (select 1 from refund_mismatch_vote_withdrawal w where w.refund_id = v.refund_id and w.vote_no = v.vote_no);
    if live_count >= 2 then
        raise exception 'refund_mismatch_vote_withdrawal %: round % is ready (two agreeing votes); it cannot be withdrawn', new.refund_id,
            vote_round using errcode = 'P0001';
    end if;
    return new;
end;
$$;
create trigger refund_mismatch_vote_withdrawal_checked before insert on refund_mismatch_vote_withdrawal
    for each row execute function refund_mismatch_vote_withdrawal_check();
create trigger refund_mismatch_vote_withdrawal_append_only before update or delete on refund_mismatch_vote_withdrawal
    for each row execute function ledger_forbid_change();
create trigger refund_mismatch_vote_withdrawal_no_truncate before truncate on refund_mismatch_vote_withdrawal
    for each statement execute function ledger_forbid_change();
insert into runtime_access_policy (table_name, access, update_columns, why) values
    ('refund_mismatch_vote_withdrawal', 'APPEND_ONLY', '{}',
     'a finance approver''s withdrawal of their own mismatch vote before it is ready (114): never changed');
select ledger_apply_runtime_grants();

--changeset commdesk:114-refund-mismatch-vote-round-guards-search-path splitStatements:false
-- Both guards read tables by name: pinned to this schema (temporary tables last), as every guard is (015, 107, 113).
-- create or replace above dropped 113's setting of refund_mismatch_vote_check, so it is set again.
do $$
begin
    execute format('alter function refund_mismatch_vote_check() set search_path = %I, pg_catalog, pg_temp', current_schema());
    execute format('alter function refund_mismatch_vote_withdrawal_check() set search_path = %I, pg_catalog, pg_temp', current_schema());
end $$;
