--liquibase formatted sql

--changeset commdesk:017-posting-checks splitStatements:false
-- Why (issue 10, defect 2): the balance of a journal was checked once, by a deferred trigger on the
-- journal row. "SET CONSTRAINTS ALL IMMEDIATE" fires that check early, after which a further posting
-- into the same (still open) journal was never checked again: an unbalanced journal could commit.
--
-- Now every INSERT into posting is checked at the end of the statement, by an ordinary statement-level
-- trigger that SET CONSTRAINTS cannot defer, switch or skip: for every journal the statement posts to,
-- (1) the journal was created by this transaction, (2) every account exists, (3) the statement gives
-- the journal at least two postings that sum to zero, and (4) the journal has no postings from any
-- other statement. So a journal's postings are written by exactly one statement, which balances them;
-- nothing can be added afterwards, in this transaction or any other. The deferred check on the journal
-- row remains for the one case a posting statement cannot see: a journal that never gets any posting.
create function ledger_check_postings() returns trigger language plpgsql as $$
declare
    bad record;
    stray_account bigint;
begin
    select s.journal_id, s.n, s.total, j.journal_id is null as foreign_tx into bad
      from (select journal_id, count(*) as n, sum(amount_paise) as total from new_postings group by journal_id) s
      left join journal j on j.journal_id = s.journal_id and j.tx_id = txid_current()
     where j.journal_id is null or s.n < 2 or s.total <> 0
        or (select count(*) from posting p where p.journal_id = s.journal_id) <> s.n
     limit 1;
    if found then
        if bad.foreign_tx then
            raise exception 'posting to journal % outside the transaction that created it', bad.journal_id
                using errcode = 'P0003';
        end if;
        if bad.n < 2 then
            raise exception 'journal % has % posting(s); a journal needs at least two', bad.journal_id, bad.n
                using errcode = 'P0002';
        end if;
        if bad.total <> 0 then
            raise exception 'journal % does not balance: debits - credits = % paise', bad.journal_id, bad.total
                using errcode = 'P0002';
        end if;
        raise exception 'journal % already has postings: all of a journal''s postings are written by one statement',
            bad.journal_id using errcode = 'P0002';
    end if;
    select n.account_id into stray_account
      from (select distinct account_id from new_postings) n
      left join ledger_account a on a.account_id = n.account_id
     where a.account_id is null
     limit 1;
    if stray_account is not null then
        raise exception 'posting to account % which does not exist', stray_account using errcode = '23503';
    end if;
    return null;
end $$;

drop trigger posting_references on posting;
drop function ledger_check_postings_references();
create trigger posting_checks after insert on posting
    referencing new table as new_postings
    for each statement execute function ledger_check_postings();

-- The deferred check on the journal row now only has to see that the journal got postings at all
-- (any posting statement already proved them balanced): one index probe instead of a sum.
create or replace function ledger_check_journal_balanced() returns trigger language plpgsql as $$
begin
    if not exists (select 1 from posting where journal_id = new.journal_id) then
        raise exception 'journal % has no postings; a journal needs at least two', new.journal_id
            using errcode = 'P0002';
    end if;
    return null;
end $$;

--changeset commdesk:017-wallet-projections splitStatements:false
-- Why (defect 2): member_wallet could be edited with a plain UPDATE, and settlement pays from it. The
-- wallets and the community totals are now maintained by the database from the postings themselves,
-- in the posting statement: the application (runtime role) cannot write them at all, and nothing in
-- them changes without the balanced postings that explain it.
--   member wallets: pending / available / locked are credit-normal (a credit raises them), the
--     receivable debit-normal; paid_out moves with the locked postings of PAYOUT_PAID / PAYOUT_REVERSED;
--   community wallets: the sums of their members' buckets, total withdrawn the sum of paid out, and
--     the totals of the payments these postings book (and take back, for a reversed payment), from the
--     payments' revenue_transaction rows, which are written before the postings.
-- Rows are locked in one order (community rows sorted by id, then member rows sorted by community,
-- role, user), the same order as ledger_lock_wallets below, and only here, at the end of a writer's
-- transaction, so the locks are held briefly. A bucket that would go negative fails the posting
-- statement with the wallet's CHECK (SQLSTATE 23514).
create function ledger_add_community_totals(c text[], gross bigint[], platform bigint[], gateway bigint[],
                                            gst bigint[], net bigint[]) returns void language plpgsql as $$
begin
    if c is null then
        return;
    end if;
    insert into community_wallet (community_id)
        select distinct x.community_id from unnest(c) x(community_id) order by 1 on conflict do nothing;
    with d as (select x.community_id, sum(x.g)::bigint as g, sum(x.p)::bigint as p, sum(x.w)::bigint as w,
                      sum(x.t)::bigint as t, sum(x.n)::bigint as n
                 from unnest(c, gross, platform, gateway, gst, net) x(community_id, g, p, w, t, n)
                group by x.community_id),
         locked as materialized (
             select w.community_id from community_wallet w join d on d.community_id = w.community_id
              order by w.community_id for update of w)
    update community_wallet w
       set total_gross_revenue_paise = w.total_gross_revenue_paise + d.g,
           total_platform_fees_paise = w.total_platform_fees_paise + d.p,
           total_gateway_fees_paise = w.total_gateway_fees_paise + d.w,
           total_gst_collected_paise = w.total_gst_collected_paise + d.t,
           total_net_revenue_paise = w.total_net_revenue_paise + d.n,
           updated_at = now()
      from locked l join d on d.community_id = l.community_id
     where w.community_id = l.community_id;
end $$;
-- Internal: only the trigger functions (running as the owner) may call it.
revoke execute on function ledger_add_community_totals(text[], bigint[], bigint[], bigint[], bigint[], bigint[]) from public;

create function ledger_project_wallets() returns trigger language plpgsql security definer as $$
declare
    c text[]; r text[]; u text[];
    d_pending bigint[]; d_available bigint[]; d_locked bigint[]; d_receivable bigint[]; d_paid bigint[];
    tc text[]; tg bigint[]; tp bigint[]; tw bigint[]; tt bigint[]; tn bigint[];
begin
    with journals as (
             select j.journal_id, j.kind, j.reverses_journal_id
               from (select distinct journal_id from new_postings) n
               join journal j on j.journal_id = n.journal_id),
         per_account as (
             select n.account_id, sum(n.amount_paise) as amount,
                    coalesce(sum(n.amount_paise) filter (where j.kind in ('PAYOUT_PAID', 'PAYOUT_REVERSED')), 0) as paid
               from new_postings n join journals j on j.journal_id = n.journal_id
              group by n.account_id),
         member as (
             select a.community_id, a.role, a.user_id,
                    coalesce(sum(-x.amount) filter (where a.purpose = 'MEMBER_PENDING'), 0)::bigint as pending,
                    coalesce(sum(-x.amount) filter (where a.purpose = 'MEMBER_AVAILABLE'), 0)::bigint as available,
                    coalesce(sum(-x.amount) filter (where a.purpose = 'MEMBER_LOCKED'), 0)::bigint as locked,
                    coalesce(sum(x.amount) filter (where a.purpose = 'MEMBER_RECEIVABLE'), 0)::bigint as receivable,
                    coalesce(sum(x.paid) filter (where a.purpose = 'MEMBER_LOCKED'), 0)::bigint as paid_out
               from per_account x join ledger_account a on a.account_id = x.account_id
              where a.purpose in ('MEMBER_PENDING', 'MEMBER_AVAILABLE', 'MEMBER_LOCKED', 'MEMBER_RECEIVABLE')
              group by a.community_id, a.role, a.user_id),
         totals as (
             select rt.community_id, sum(s.sign * rt.gross_amount_paise)::bigint as gross,
                    sum(s.sign * rt.platform_fee_paise)::bigint as platform,
                    sum(s.sign * (rt.payment_gateway_fee_paise + rt.payment_gateway_gst_paise))::bigint as gateway,
                    sum(s.sign * rt.gst_amount_paise)::bigint as gst, sum(s.sign * rt.net_revenue_paise)::bigint as net
               from (select journal_id as payment_journal_id, 1 as sign from journals where kind = 'PAYMENT'
                     union all
                     select reverses_journal_id, -1 from journals where kind = 'REVERSAL') s
               join revenue_transaction rt on rt.journal_id = s.payment_journal_id
              group by rt.community_id)
    select (select array_agg(m.community_id order by m.community_id, m.role, m.user_id) from member m),
           (select array_agg(m.role order by m.community_id, m.role, m.user_id) from member m),
           (select array_agg(m.user_id order by m.community_id, m.role, m.user_id) from member m),
           (select array_agg(m.pending order by m.community_id, m.role, m.user_id) from member m),
           (select array_agg(m.available order by m.community_id, m.role, m.user_id) from member m),
           (select array_agg(m.locked order by m.community_id, m.role, m.user_id) from member m),
           (select array_agg(m.receivable order by m.community_id, m.role, m.user_id) from member m),
           (select array_agg(m.paid_out order by m.community_id, m.role, m.user_id) from member m),
           (select array_agg(t.community_id order by t.community_id) from totals t),
           (select array_agg(t.gross order by t.community_id) from totals t),
           (select array_agg(t.platform order by t.community_id) from totals t),
           (select array_agg(t.gateway order by t.community_id) from totals t),
           (select array_agg(t.gst order by t.community_id) from totals t),
           (select array_agg(t.net order by t.community_id) from totals t)
      into c, r, u, d_pending, d_available, d_locked, d_receivable, d_paid, tc, tg, tp, tw, tt, tn;
    if c is null and tc is null then
        return null;
    end if;

    insert into community_wallet (community_id)
        select distinct x.community_id from unnest(coalesce(c, '{}'::text[]) || coalesce(tc, '{}'::text[])) x(community_id)
         order by 1 on conflict do nothing;
    with m as (select x.community_id, sum(x.p)::bigint as p, sum(x.a)::bigint as a, sum(x.l)::bigint as l, sum(x.po)::bigint as po
                 from unnest(c, d_pending, d_available, d_locked, d_paid) x(community_id, p, a, l, po)
                group by x.community_id),
         t as (select * from unnest(tc, tg, tp, tw, tt, tn) x(community_id, g, pf, gw, gst, net)),
         d as (select coalesce(m.community_id, t.community_id) as community_id, coalesce(m.p, 0) as p, coalesce(m.a, 0) as a,
                      coalesce(m.l, 0) as l, coalesce(m.po, 0) as po, coalesce(t.g, 0) as g, coalesce(t.pf, 0) as pf,
                      coalesce(t.gw, 0) as gw, coalesce(t.gst, 0) as gst, coalesce(t.net, 0) as net
                 from m full join t on t.community_id = m.community_id),
         locked as materialized (
             select w.community_id from community_wallet w join d on d.community_id = w.community_id
              order by w.community_id for update of w)
    update community_wallet w
       set pending_settlement_paise = w.pending_settlement_paise + d.p,
           available_balance_paise = w.available_balance_paise + d.a,
           locked_balance_paise = w.locked_balance_paise + d.l,
           total_withdrawn_paise = w.total_withdrawn_paise + d.po,
           total_gross_revenue_paise = w.total_gross_revenue_paise + d.g,
           total_platform_fees_paise = w.total_platform_fees_paise + d.pf,
           total_gateway_fees_paise = w.total_gateway_fees_paise + d.gw,
           total_gst_collected_paise = w.total_gst_collected_paise + d.gst,
           total_net_revenue_paise = w.total_net_revenue_paise + d.net,
           updated_at = now()
      from locked l join d on d.community_id = l.community_id
     where w.community_id = l.community_id;

    if c is null then
        return null;
    end if;
    insert into member_wallet (community_id, role, user_id)
        select x.c, x.r, x.u from unnest(c, r, u) x(c, r, u) order by 1, 2, 3 on conflict do nothing;
    with d as (select * from unnest(c, r, u, d_pending, d_available, d_locked, d_receivable, d_paid)
                    x(community_id, role, user_id, p, a, l, rc, po)),
         locked as materialized (
             select w.community_id, w.role, w.user_id from member_wallet w
               join d on d.community_id = w.community_id and d.role = w.role and d.user_id = w.user_id
              order by w.community_id, w.role, w.user_id for update of w)
    update member_wallet w
       set pending_paise = w.pending_paise + d.p,
           available_paise = w.available_paise + d.a,
           locked_paise = w.locked_paise + d.l,
           receivable_paise = w.receivable_paise + d.rc,
           paid_out_paise = w.paid_out_paise + d.po,
           updated_at = now()
      from locked l join d on d.community_id = l.community_id and d.role = l.role and d.user_id = l.user_id
     where w.community_id = l.community_id and w.role = l.role and w.user_id = l.user_id;
    return null;
end $$;

create trigger posting_projects_wallets after insert on posting
    referencing new table as new_postings
    for each statement execute function ledger_project_wallets();

--changeset commdesk:017-row-locks splitStatements:false
-- The runtime role may read the wallets but not write them, and SELECT ... FOR UPDATE needs UPDATE
-- privilege. Writers that must read balances before posting (refunds, releases, reversals) lock
-- through these functions instead: the community row, then the members' rows sorted by role and user
-- (the projections' own lock order), missing rows created at zero. They change no balance.
create function ledger_lock_wallets(p_community text, p_roles text[], p_users text[])
    returns table (o_role text, o_user_id text, o_pending_paise bigint, o_available_paise bigint,
                   o_locked_paise bigint, o_receivable_paise bigint)
    language plpgsql security definer as $$
begin
    insert into community_wallet (community_id) values (p_community) on conflict do nothing;
    perform 1 from community_wallet w where w.community_id = p_community for update;
    insert into member_wallet (community_id, role, user_id)
        select p_community, x.r, x.u from unnest(p_roles, p_users) x(r, u) order by 2, 3 on conflict do nothing;
    return query
        select w.role, w.user_id, w.pending_paise, w.available_paise, w.locked_paise, w.receivable_paise
          from member_wallet w
         where w.community_id = p_community
           and (w.role, w.user_id) in (select x.r, x.u from unnest(p_roles, p_users) x(r, u))
         order by w.role, w.user_id
           for update of w;
end $$;

-- Serialises every writer touching one posted payment (refunds, chargebacks, reversal): the
-- revenue_transaction row is append-only, so the runtime role has no UPDATE to lock it with.
create function ledger_lock_payment(p_transaction_id uuid) returns boolean language plpgsql security definer as $$
begin
    perform 1 from revenue_transaction where transaction_id = p_transaction_id for update;
    return found;
end $$;

--changeset commdesk:017-four-eyes-case-insensitive
-- "Asha" approving a payout "asha" requested is the same person: the database compares lower-cased.
alter table payout add constraint payout_four_eyes_ci
    check (decided_by is null or lower(decided_by) <> lower(requested_by));

--changeset commdesk:017-guard-search-path splitStatements:false
do $$
declare
    fn text;
begin
    foreach fn in array array[
        'ledger_check_postings()',
        'ledger_check_journal_balanced()',
        'ledger_project_wallets()',
        'ledger_add_community_totals(text[], bigint[], bigint[], bigint[], bigint[], bigint[])',
        'ledger_lock_wallets(text, text[], text[])',
        'ledger_lock_payment(uuid)'] loop
        execute format('alter function %s set search_path = %I, pg_catalog, pg_temp', fn, current_schema());
    end loop;
end $$;
revoke execute on function ledger_lock_wallets(text, text[], text[]) from public;
revoke execute on function ledger_lock_payment(uuid) from public;
