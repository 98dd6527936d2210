--liquibase formatted sql

--changeset commdesk:091-distribution-allocation splitStatements:false
-- Seed 002's distribution lifecycle (docs/payouts.md "Distributions", decision D-DIST1). A distribution is
-- one member share of a payment (revenue_distribution, append-only). When a payout locks a member's money,
-- that amount is allocated to the member's unpaid distributions oldest first; one row per (lock journal,
-- distribution), so a retried lock allocates nothing twice and a payout's allocations sum exactly to its
-- amount. An allocation's status follows its payout's in the same transaction (trigger below):
--   PENDING   locked for a payout that awaits approval (or has not been decided yet)
--   APPROVED  the payout's approval is recorded (or it needed none), on its way
--   PAID      the payout is PAID
--   FAILED    the payout failed, was rejected or reversed: the money is available again and the
--             distribution's amount is open for the next payout. The row stays, as history.
-- A FAILED row never changes again; a payout paid after all (late SUCCESS) is locked again by a new journal,
-- which allocates anew.
create table distribution_allocation (
    allocation_id    bigint      generated always as identity primary key,
    distribution_id  uuid        not null references revenue_distribution (distribution_id),
    payout_id        text        not null references payout (payout_id),
    lock_journal_id  bigint      not null references journal (journal_id),
    community_id     text        not null,
    role             text        not null,
    user_id          text        not null,
    amount_paise     bigint      not null check (amount_paise > 0),
    status           text        not null check (status in ('PENDING', 'APPROVED', 'PAID', 'FAILED')),
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now(),
    unique (lock_journal_id, distribution_id)
);
create index distribution_allocation_distribution_idx on distribution_allocation (distribution_id);
create index distribution_allocation_payout_idx on distribution_allocation (payout_id);
create index distribution_allocation_member_idx on distribution_allocation (community_id, user_id, role);
-- A member's distributions, for the FIFO allocation and the member's page.
create index revenue_distribution_member_idx on revenue_distribution (community_id, user_id, role_name, created_at);

-- The allocation status a payout's status means.
create function distribution_status_of(payout_status text, needs_approval boolean) returns text
    language sql immutable as $$
    select case
        when payout_status = 'PAID' then 'PAID'
        when payout_status in ('FAILED', 'REJECTED', 'REVERSED') then 'FAILED'
        when payout_status in ('APPROVED', 'SENT', 'NEEDS_ATTENTION') then 'APPROVED'
        when payout_status = 'CREATED' and not needs_approval then 'APPROVED'
        else 'PENDING'
    end
$$;

-- Whatever step changes a payout's status (lock, approval, transfer, paid, failed, reversed, a flag, a late
-- answer), its live allocations follow in the same transaction. FAILED rows are history and never move.
create function distribution_follow_payout() returns trigger language plpgsql as $$
begin
    update distribution_allocation
       set status = distribution_status_of(new.status, new.needs_approval), updated_at = now()
     where payout_id = new.payout_id and status <> 'FAILED'
       and status <> distribution_status_of(new.status, new.needs_approval);
    return null;
end $$;
create trigger payout_distributions_follow after update of status, needs_approval on payout
    for each row when (old.status is distinct from new.status or old.needs_approval is distinct from new.needs_approval)
    execute function distribution_follow_payout();

-- Rows are never deleted; only the status moves, and a FAILED one never again; amount and keys never change.
create function distribution_allocation_guard() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        raise exception 'distribution_allocation is history: DELETE is not allowed';
    end if;
    if old.status = 'FAILED' and new.status <> 'FAILED' then
        raise exception 'allocation % failed; a new lock allocates anew', old.allocation_id;
    end if;
    if (new.distribution_id, new.payout_id, new.lock_journal_id, new.amount_paise, new.community_id, new.role, new.user_id)
       is distinct from (old.distribution_id, old.payout_id, old.lock_journal_id, old.amount_paise, old.community_id, old.role, old.user_id) then
        raise exception 'only the status of allocation % may change', old.allocation_id;
    end if;
    return new;
end $$;
create trigger distribution_allocation_guard before update or delete on distribution_allocation
    for each row execute function distribution_allocation_guard();
create trigger distribution_allocation_no_truncate before truncate on distribution_allocation
    for each statement execute function ledger_forbid_change();

-- What refunds and chargebacks of a payment took back from one member's share of it: the member's postings
-- (debits on their pending, available and receivable accounts) in the refunds' journals, less what the
-- reversal of a failed or cancelled refund gave back. A share refunded in full is not open any more.
create function distribution_taken_back(p_transaction_id uuid, p_community_id text, p_role text, p_user_id text) returns bigint
    language sql stable as $$
    select coalesce(sum(po.amount_paise), 0)::bigint
      from refund r
      left join refund_outcome o on o.refund_id = r.refund_id and o.outcome in ('FAILED', 'CANCELLED')
      join posting po on po.journal_id in (r.journal_id, o.journal_id)
      join ledger_account la on la.account_id = po.account_id
     where r.transaction_id = p_transaction_id
       and la.community_id = p_community_id and la.role = p_role and la.user_id = p_user_id and la.purpose like 'MEMBER\_%'
$$;

-- Allocates a payout's lock (journal lock_journal_id) to its member's open distributions, oldest first
-- (posting time, then id): open = the share less its live (not FAILED) allocations and less what refunds
-- took back from it; shares still in their hold are not open. The last one reached may be allocated in
-- part. Exact: the rows sum to the payout's amount unless the member's open shares are less (money from
-- outside any share); returns what could not be allocated (0 normally). Idempotent per lock journal.
create function distribution_allocate(p_payout_id text, p_lock_journal_id bigint) returns bigint
    language plpgsql as $$
declare
    p payout%rowtype;
    placed bigint;
begin
    select * into p from payout where payout_id = p_payout_id;
    if not found then
        raise exception 'no payout %', p_payout_id;
    end if;
    if exists (select 1 from distribution_allocation where lock_journal_id = p_lock_journal_id) then
        select coalesce(sum(amount_paise), 0) into placed from distribution_allocation where lock_journal_id = p_lock_journal_id;
        return p.amount_paise - placed;
    end if;
    with open_shares as (
        select d.distribution_id, d.created_at,
               d.amount_paise - coalesce((select sum(a.amount_paise) from distribution_allocation a
                                           where a.distribution_id = d.distribution_id and a.status <> 'FAILED'), 0)
                              - distribution_taken_back(d.transaction_id, d.community_id, d.role_name, d.user_id) as open_paise
          from revenue_distribution d
         where d.community_id = p.community_id and d.user_id = p.user_id and d.role_name = p.role
           and not exists (select 1 from wallet_hold h
                            where h.transaction_id = d.transaction_id and h.role = d.role_name and h.user_id = d.user_id
                              and h.released_journal_id is null and h.cancelled_journal_id is null)
    ), fifo as (
        select distribution_id, open_paise,
               sum(open_paise) over (order by created_at, distribution_id) - open_paise as before_paise
          from open_shares where open_paise > 0
    ), placed_rows as (
        insert into distribution_allocation (distribution_id, payout_id, lock_journal_id, community_id, role, user_id, amount_paise, status)
        select distribution_id, p.payout_id, p_lock_journal_id, p.community_id, p.role, p.user_id,
               least(open_paise, p.amount_paise - before_paise),
               distribution_status_of(p.status, p.needs_approval)
          from fifo where before_paise < p.amount_paise
        returning amount_paise
    )
    select coalesce(sum(amount_paise), 0) into placed from placed_rows;
    return p.amount_paise - placed;
end $$;
revoke execute on function distribution_allocate(text, bigint) from public;
grant execute on function distribution_allocate(text, bigint) to commdesk_runtime;
grant execute on function distribution_taken_back(uuid, text, text, text) to commdesk_runtime;

-- Payouts locked before this changeset, in the order they locked: the same allocation, then their status.
do $$
declare
    x record;
begin
    for x in select payout_id, lock_journal_id from payout where lock_journal_id is not null order by lock_journal_id loop
        perform distribution_allocate(x.payout_id, x.lock_journal_id);
    end loop;
end $$;

do $$
begin
    execute format('alter function distribution_follow_payout() set search_path = %I, pg_catalog, pg_temp', current_schema());
    execute format('alter function distribution_allocation_guard() set search_path = %I, pg_catalog, pg_temp', current_schema());
    execute format('alter function distribution_allocate(text, bigint) set search_path = %I, pg_catalog, pg_temp', current_schema());
    execute format('alter function distribution_taken_back(uuid, text, text, text) set search_path = %I, pg_catalog, pg_temp', current_schema());
end $$;

insert into runtime_access_policy (table_name, access, update_columns, why) values
    ('distribution_allocation', 'STATUS', '{status,updated_at}',
     'a payout''s money allocated to member shares; the status follows the payout (091)');
select ledger_apply_runtime_grants();
