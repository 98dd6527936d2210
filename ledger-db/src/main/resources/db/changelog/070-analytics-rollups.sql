--liquibase formatted sql

--changeset commdesk:070-analytics-rollups splitStatements:false
-- Why: the dashboard's figures (issue 12) by day and month, per community and platform-wide, must stay
-- fast as the books grow (a month view over 1,000,000 payments in p95 < 300 ms). Summing the raw rows
-- of a busy month does not: it reads every payment of the month.
--
-- How, without putting a lock on the payment path: each INSERT statement on the ledger's tables adds
-- ONE delta row per (IST day, key) it touched, written by a statement-level AFTER INSERT trigger over
-- the statement's transition table. Nothing is ever updated in place, so two concurrent payment
-- batches never wait for each other here (a per-day counter row would serialise every writer of a
-- community on one row lock). Readers sum the deltas of the days they ask for; analytics_compact()
-- merges the deltas of a key into one row in a single statement, so a reader sees the same sums before
-- and after. The rollups are derived data: LedgerInvariants re-derives them from the raw rows
-- (AnalyticsChecks) and docs/analytics.md says what each column sums.
--
-- Days are calendar days in India time (Asia/Kolkata, no daylight saving) of the row's created_at,
-- which is the creating transaction's now(), the same instant as its journal's.

-- Payments (minus reversals) and refunds per day, community, revenue source and commission rule version.
-- rule_id '' / rule_version 0: no stored rule matched (the default preset priced the payment).
create table analytics_revenue_delta (
    day                    date    not null,
    community_id           text    not null,
    source_type            text    not null,
    rule_id                text    not null,
    rule_version           integer not null,
    payments               bigint  not null default 0,  -- posted minus reversed
    reversals              bigint  not null default 0,
    gross_paise            bigint  not null default 0,
    gst_paise              bigint  not null default 0,
    gst_cgst_paise         bigint  not null default 0,
    gst_sgst_paise         bigint  not null default 0,
    gst_igst_paise         bigint  not null default 0,
    gateway_fee_paise      bigint  not null default 0,
    gateway_gst_paise      bigint  not null default 0,
    platform_fee_paise     bigint  not null default 0,
    platform_gst_paise     bigint  not null default 0,
    -- what platform_fee_income is credited: the fee less its GST when the GST is INCLUDED in it
    platform_income_paise  bigint  not null default 0,
    tcs_paise              bigint  not null default 0,
    tds_paise              bigint  not null default 0,
    net_paise              bigint  not null default 0,
    refunds                bigint  not null default 0,
    refund_paise           bigint  not null default 0,
    chargebacks            bigint  not null default 0,
    chargeback_paise       bigint  not null default 0,
    -- refunds and chargebacks together, split over the payment's parts as the refund row records them
    refund_gst_paise       bigint  not null default 0,
    refund_gateway_paise   bigint  not null default 0,
    refund_platform_paise  bigint  not null default 0,
    refund_tcs_paise       bigint  not null default 0,
    refund_tds_paise       bigint  not null default 0,
    refund_net_paise       bigint  not null default 0,
    -- what the community's members gave back (from pending + from available + to receivable)
    refund_members_paise   bigint  not null default 0
);
create index analytics_revenue_delta_community_idx on analytics_revenue_delta (community_id, day);
create index analytics_revenue_delta_day_idx on analytics_revenue_delta (day);

-- Member shares (revenue_distribution, minus reversed payments' shares) per day, community, role, member.
create table analytics_share_delta (
    day           date   not null,
    community_id  text   not null,
    role          text   not null,
    user_id       text   not null,
    shares        bigint not null default 0,
    amount_paise  bigint not null default 0
);
create index analytics_share_delta_community_idx on analytics_share_delta (community_id, day);
-- compaction of recent days only: rows arrive roughly in day order, so a block range index is enough
create index analytics_share_delta_day_brin on analytics_share_delta using brin (day);

-- Postings on the platform's own accounts (those without a community: GST payables, fee income,
-- clearing, TCS/TDS, payout balance, reconciliation), per day and account: debits and credits.
-- Member and community accounts are not rolled up here (they are many; their balances live in
-- member_wallet and their monthly movements in the two tables above).
create table analytics_account_delta (
    day           date   not null,
    account_id    bigint not null,
    debit_paise   bigint not null default 0,
    credit_paise  bigint not null default 0,
    postings      bigint not null default 0
);
create index analytics_account_delta_account_idx on analytics_account_delta (account_id, day);

-- Payouts per day and community: PAYOUT_PAID journals move money out to Cashfree's payout balance
-- (a credit to it), PAYOUT_REVERSED ones bring it back (a debit). Counted from those postings.
create table analytics_payout_delta (
    day             date   not null,
    community_id    text   not null,
    paid            bigint not null default 0,
    paid_paise      bigint not null default 0,
    reversed        bigint not null default 0,
    reversed_paise  bigint not null default 0
);
create index analytics_payout_delta_community_idx on analytics_payout_delta (community_id, day);
create index analytics_payout_delta_day_idx on analytics_payout_delta (day);

-- Which accounts the account rollup follows: every account without a community, kept current by a
-- trigger on ledger_account (accounts are append-only, so a row here never goes stale).
create table analytics_platform_account (
    account_id  bigint primary key
);
insert into analytics_platform_account (account_id)
    select account_id from ledger_account where community_id is null;

create function analytics_on_platform_account() returns trigger language plpgsql security definer as $$
begin
    insert into analytics_platform_account (account_id)
        select n.account_id from new_accounts n where n.community_id is null
        on conflict do nothing;
    return null;
end $$;

create function analytics_on_payments() returns trigger language plpgsql security definer as $$
begin
    insert into analytics_revenue_delta (day, community_id, source_type, rule_id, rule_version, payments, gross_paise,
            gst_paise, gst_cgst_paise, gst_sgst_paise, gst_igst_paise, gateway_fee_paise, gateway_gst_paise,
            platform_fee_paise, platform_gst_paise, platform_income_paise, tcs_paise, tds_paise, net_paise)
    select (n.created_at at time zone 'Asia/Kolkata')::date, n.community_id, n.source_type,
           coalesce(n.rule_id, ''), coalesce(n.rule_version, 0), count(*), sum(n.gross_amount_paise),
           sum(n.gst_amount_paise), sum(n.gst_cgst_paise), sum(n.gst_sgst_paise), sum(n.gst_igst_paise),
           sum(n.payment_gateway_fee_paise), sum(n.payment_gateway_gst_paise), sum(n.platform_fee_paise),
           sum(n.platform_fee_gst_paise),
           sum(n.platform_fee_paise - case when n.platform_fee_gst_mode = 'INCLUDED' then n.platform_fee_gst_paise else 0 end),
           sum(n.tcs_paise), sum(n.tds_paise), sum(n.net_revenue_paise)
      from new_transactions n
     group by 1, 2, 3, 4, 5;
    return null;
end $$;

create function analytics_on_shares() returns trigger language plpgsql security definer as $$
begin
    insert into analytics_share_delta (day, community_id, role, user_id, shares, amount_paise)
    select (n.created_at at time zone 'Asia/Kolkata')::date, n.community_id, n.role_name, n.user_id, count(*), sum(n.amount_paise)
      from new_distributions n
     group by 1, 2, 3, 4;
    return null;
end $$;

-- A reversal journal takes its payment (and the payment's shares) back out, on the reversal's day.
create function analytics_on_reversals() returns trigger language plpgsql security definer as $$
begin
    if not exists (select 1 from new_journals n where n.kind = 'REVERSAL') then
        return null;
    end if;
    insert into analytics_revenue_delta (day, community_id, source_type, rule_id, rule_version, payments, reversals,
            gross_paise, gst_paise, gst_cgst_paise, gst_sgst_paise, gst_igst_paise, gateway_fee_paise, gateway_gst_paise,
            platform_fee_paise, platform_gst_paise, platform_income_paise, tcs_paise, tds_paise, net_paise)
    select (n.created_at at time zone 'Asia/Kolkata')::date, t.community_id, t.source_type,
           coalesce(t.rule_id, ''), coalesce(t.rule_version, 0), -count(*), count(*), -sum(t.gross_amount_paise),
           -sum(t.gst_amount_paise), -sum(t.gst_cgst_paise), -sum(t.gst_sgst_paise), -sum(t.gst_igst_paise),
           -sum(t.payment_gateway_fee_paise), -sum(t.payment_gateway_gst_paise), -sum(t.platform_fee_paise),
           -sum(t.platform_fee_gst_paise),
           -sum(t.platform_fee_paise - case when t.platform_fee_gst_mode = 'INCLUDED' then t.platform_fee_gst_paise else 0 end),
           -sum(t.tcs_paise), -sum(t.tds_paise), -sum(t.net_revenue_paise)
      from new_journals n
      join revenue_transaction t on t.journal_id = n.reverses_journal_id
     where n.kind = 'REVERSAL'
     group by 1, 2, 3, 4, 5;
    insert into analytics_share_delta (day, community_id, role, user_id, shares, amount_paise)
    select (n.created_at at time zone 'Asia/Kolkata')::date, d.community_id, d.role_name, d.user_id, -count(*), -sum(d.amount_paise)
      from new_journals n
      join revenue_transaction t on t.journal_id = n.reverses_journal_id
      join revenue_distribution d on d.transaction_id = t.transaction_id
     where n.kind = 'REVERSAL'
     group by 1, 2, 3, 4;
    return null;
end $$;

create function analytics_on_refunds() returns trigger language plpgsql security definer as $$
begin
    insert into analytics_revenue_delta (day, community_id, source_type, rule_id, rule_version, refunds, refund_paise,
            chargebacks, chargeback_paise, refund_gst_paise, refund_gateway_paise, refund_platform_paise, refund_tcs_paise,
            refund_tds_paise, refund_net_paise, refund_members_paise)
    select (n.created_at at time zone 'Asia/Kolkata')::date, t.community_id, t.source_type,
           coalesce(t.rule_id, ''), coalesce(t.rule_version, 0),
           count(*) filter (where n.kind = 'REFUND'), coalesce(sum(n.amount_paise) filter (where n.kind = 'REFUND'), 0),
           count(*) filter (where n.kind = 'CHARGEBACK'), coalesce(sum(n.amount_paise) filter (where n.kind = 'CHARGEBACK'), 0),
           sum(coalesce(n.part_gst_paise, 0)), sum(coalesce(n.part_gateway_paise, 0)), sum(coalesce(n.part_platform_paise, 0)),
           sum(coalesce(n.part_tcs_paise, 0)), sum(coalesce(n.part_tds_paise, 0)), sum(coalesce(n.part_net_paise, 0)),
           sum(n.from_pending_paise + n.from_available_paise + n.to_receivable_paise)
      from new_refunds n
      join revenue_transaction t on t.transaction_id = n.transaction_id
     group by 1, 2, 3, 4, 5;
    return null;
end $$;

create function analytics_on_postings() returns trigger language plpgsql security definer as $$
begin
    insert into analytics_account_delta (day, account_id, debit_paise, credit_paise, postings)
    select s.day, s.account_id, s.debit, s.credit, s.n
      from (select (p.created_at at time zone 'Asia/Kolkata')::date as day, p.account_id,
                   coalesce(sum(p.amount_paise) filter (where p.amount_paise > 0), 0) as debit,
                   coalesce(-sum(p.amount_paise) filter (where p.amount_paise < 0), 0) as credit,
                   count(*) as n
              from new_postings p
             group by 1, 2) s
      join analytics_platform_account a on a.account_id = s.account_id;
    -- Only payout journals touch the payout balance, so the join with journal sees only their rows.
    insert into analytics_payout_delta (day, community_id, paid, paid_paise, reversed, reversed_paise)
    select (p.created_at at time zone 'Asia/Kolkata')::date, j.community_id,
           count(*) filter (where p.amount_paise < 0), coalesce(-sum(p.amount_paise) filter (where p.amount_paise < 0), 0),
           count(*) filter (where p.amount_paise > 0), coalesce(sum(p.amount_paise) filter (where p.amount_paise > 0), 0)
      from new_postings p
      join journal j on j.journal_id = p.journal_id
     where p.account_id = (select account_id from ledger_account where code = 'cashfree_payout_balance')
     group by 1, 2;
    return null;
end $$;

create trigger analytics_platform_account after insert on ledger_account
    referencing new table as new_accounts
    for each statement execute function analytics_on_platform_account();
create trigger analytics_payments after insert on revenue_transaction
    referencing new table as new_transactions
    for each statement execute function analytics_on_payments();
create trigger analytics_shares after insert on revenue_distribution
    referencing new table as new_distributions
    for each statement execute function analytics_on_shares();
create trigger analytics_reversals after insert on journal
    referencing new table as new_journals
    for each statement execute function analytics_on_reversals();
create trigger analytics_refunds after insert on refund
    referencing new table as new_refunds
    for each statement execute function analytics_on_refunds();
create trigger analytics_postings after insert on posting
    referencing new table as new_postings
    for each statement execute function analytics_on_postings();

-- Merges every key's deltas into one row, one table per statement (atomic: a reader sees the same
-- sums before and after). Concurrent calls are harmless (a row deleted by one is skipped by the
-- other); the advisory lock only saves the second one the work. Returns the number of rows removed.
-- since: only days from then on (new deltas always carry their own transaction's day, so the worker
-- passes yesterday and never rereads history); null: every day.
create function analytics_compact(since date default null) returns bigint language plpgsql security definer as $$
declare
    removed bigint := 0;
    n bigint;
begin
    if not pg_try_advisory_xact_lock(hashtext('analytics_compact')) then
        return 0;
    end if;
    with keys as (
        select day, community_id, source_type, rule_id, rule_version
          from analytics_revenue_delta where day >= coalesce(since, '-infinity'::date) group by 1, 2, 3, 4, 5 having count(*) > 1),
    gone as (
        delete from analytics_revenue_delta d using keys k
         where d.day = k.day and d.community_id = k.community_id and d.source_type = k.source_type
           and d.rule_id = k.rule_id and d.rule_version = k.rule_version
        returning d.*),
    merged as (
        insert into analytics_revenue_delta
        select day, community_id, source_type, rule_id, rule_version, sum(payments), sum(reversals), sum(gross_paise),
               sum(gst_paise), sum(gst_cgst_paise), sum(gst_sgst_paise), sum(gst_igst_paise), sum(gateway_fee_paise),
               sum(gateway_gst_paise), sum(platform_fee_paise), sum(platform_gst_paise), sum(platform_income_paise),
               sum(tcs_paise), sum(tds_paise), sum(net_paise), sum(refunds), sum(refund_paise), sum(chargebacks),
               sum(chargeback_paise), sum(refund_gst_paise), sum(refund_gateway_paise), sum(refund_platform_paise),
               sum(refund_tcs_paise), sum(refund_tds_paise), sum(refund_net_paise), sum(refund_members_paise)
          from gone group by 1, 2, 3, 4, 5
        returning 1)
    select (select count(*) from gone) - (select count(*) from merged) into n;
    removed := removed + n;

    with keys as (
        select day, community_id, role, user_id from analytics_share_delta where day >= coalesce(since, '-infinity'::date)
         group by 1, 2, 3, 4 having count(*) > 1),
    gone as (
        delete from analytics_share_delta d using keys k
         where d.day = k.day and d.community_id = k.community_id and d.role = k.role and d.user_id = k.user_id
        returning d.*),
    merged as (
        insert into analytics_share_delta
        select day, community_id, role, user_id, sum(shares), sum(amount_paise) from gone group by 1, 2, 3, 4
        returning 1)
    select (select count(*) from gone) - (select count(*) from merged) into n;
    removed := removed + n;

    with keys as (
        select day, community_id from analytics_payout_delta where day >= coalesce(since, '-infinity'::date) group by 1, 2 having count(*) > 1),
    gone as (
        delete from analytics_payout_delta d using keys k
         where d.day = k.day and d.community_id = k.community_id
        returning d.*),
    merged as (
        insert into analytics_payout_delta
        select day, community_id, sum(paid), sum(paid_paise), sum(reversed), sum(reversed_paise) from gone group by 1, 2
        returning 1)
    select (select count(*) from gone) - (select count(*) from merged) into n;
    removed := removed + n;

    with keys as (
        select day, account_id from analytics_account_delta where day >= coalesce(since, '-infinity'::date) group by 1, 2 having count(*) > 1),
    gone as (
        delete from analytics_account_delta d using keys k
         where d.day = k.day and d.account_id = k.account_id
        returning d.*),
    merged as (
        insert into analytics_account_delta
        select day, account_id, sum(debit_paise), sum(credit_paise), sum(postings) from gone group by 1, 2
        returning 1)
    select (select count(*) from gone) - (select count(*) from merged) into n;
    removed := removed + n;
    return removed;
end $$;

-- Guards and compaction resolve names in their own schema only (as 015 does for the ledger's guards).
do $$
declare
    fn text;
begin
    foreach fn in array array[
        'analytics_on_platform_account()', 'analytics_on_payments()', 'analytics_on_shares()', 'analytics_on_reversals()',
        'analytics_on_refunds()', 'analytics_on_postings()', 'analytics_compact(date)'] loop
        execute format('alter function %s set search_path = %I, pg_catalog, pg_temp', fn, current_schema());
    end loop;
end $$;

-- What each rollup sums, from the raw rows, one row per fact, in the rollup's column order: the
-- definition the invariant checker (AnalyticsChecks) compares the rollups with, and the backfill below.
create view analytics_revenue_facts as
select (t.created_at at time zone 'Asia/Kolkata')::date as day, t.community_id, t.source_type,
       coalesce(t.rule_id, '') as rule_id, coalesce(t.rule_version, 0) as rule_version,
       1::bigint as payments, 0::bigint as reversals, t.gross_amount_paise as gross_paise, t.gst_amount_paise as gst_paise,
       t.gst_cgst_paise, t.gst_sgst_paise, t.gst_igst_paise, t.payment_gateway_fee_paise as gateway_fee_paise,
       t.payment_gateway_gst_paise as gateway_gst_paise, t.platform_fee_paise, t.platform_fee_gst_paise as platform_gst_paise,
       t.platform_fee_paise - case when t.platform_fee_gst_mode = 'INCLUDED' then t.platform_fee_gst_paise else 0 end
           as platform_income_paise,
       t.tcs_paise, t.tds_paise, t.net_revenue_paise as net_paise, 0::bigint as refunds, 0::bigint as refund_paise,
       0::bigint as chargebacks, 0::bigint as chargeback_paise, 0::bigint as refund_gst_paise, 0::bigint as refund_gateway_paise,
       0::bigint as refund_platform_paise, 0::bigint as refund_tcs_paise, 0::bigint as refund_tds_paise,
       0::bigint as refund_net_paise, 0::bigint as refund_members_paise
  from revenue_transaction t
union all
select (j.created_at at time zone 'Asia/Kolkata')::date, t.community_id, t.source_type, coalesce(t.rule_id, ''),
       coalesce(t.rule_version, 0), -1, 1, -t.gross_amount_paise, -t.gst_amount_paise, -t.gst_cgst_paise, -t.gst_sgst_paise,
       -t.gst_igst_paise, -t.payment_gateway_fee_paise, -t.payment_gateway_gst_paise, -t.platform_fee_paise,
       -t.platform_fee_gst_paise,
       -(t.platform_fee_paise - case when t.platform_fee_gst_mode = 'INCLUDED' then t.platform_fee_gst_paise else 0 end),
       -t.tcs_paise, -t.tds_paise, -t.net_revenue_paise, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
  from journal j join revenue_transaction t on t.journal_id = j.reverses_journal_id
 where j.kind = 'REVERSAL'
union all
select (r.created_at at time zone 'Asia/Kolkata')::date, t.community_id, t.source_type, coalesce(t.rule_id, ''),
       coalesce(t.rule_version, 0), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
       case when r.kind = 'REFUND' then 1 else 0 end, case when r.kind = 'REFUND' then r.amount_paise else 0 end,
       case when r.kind = 'CHARGEBACK' then 1 else 0 end, case when r.kind = 'CHARGEBACK' then r.amount_paise else 0 end,
       coalesce(r.part_gst_paise, 0), coalesce(r.part_gateway_paise, 0), coalesce(r.part_platform_paise, 0),
       coalesce(r.part_tcs_paise, 0), coalesce(r.part_tds_paise, 0), coalesce(r.part_net_paise, 0),
       r.from_pending_paise + r.from_available_paise + r.to_receivable_paise
  from refund r join revenue_transaction t using (transaction_id);

create view analytics_share_facts as
select (d.created_at at time zone 'Asia/Kolkata')::date as day, d.community_id, d.role_name as role, d.user_id,
       1::bigint as shares, d.amount_paise
  from revenue_distribution d
union all
select (j.created_at at time zone 'Asia/Kolkata')::date, d.community_id, d.role_name, d.user_id, -1, -d.amount_paise
  from journal j join revenue_transaction t on t.journal_id = j.reverses_journal_id
  join revenue_distribution d on d.transaction_id = t.transaction_id
 where j.kind = 'REVERSAL';

create view analytics_account_facts as
select (p.created_at at time zone 'Asia/Kolkata')::date as day, p.account_id, greatest(p.amount_paise, 0) as debit_paise,
       greatest(-p.amount_paise, 0) as credit_paise, 1::bigint as postings
  from posting p join analytics_platform_account a on a.account_id = p.account_id;

create view analytics_payout_facts as
select (p.created_at at time zone 'Asia/Kolkata')::date as day, j.community_id,
       case when p.amount_paise < 0 then 1 else 0 end::bigint as paid, greatest(-p.amount_paise, 0) as paid_paise,
       case when p.amount_paise > 0 then 1 else 0 end::bigint as reversed, greatest(p.amount_paise, 0) as reversed_paise
  from posting p join journal j on j.journal_id = p.journal_id
 where p.account_id = (select account_id from ledger_account where code = 'cashfree_payout_balance');

-- Rollups of what was posted before this changeset (the triggers only see new rows): every fact as a
-- delta, then merged.
insert into analytics_revenue_delta select * from analytics_revenue_facts;
insert into analytics_share_delta select * from analytics_share_facts;
insert into analytics_account_delta select * from analytics_account_facts;
insert into analytics_payout_delta select * from analytics_payout_facts;
select analytics_compact();

--changeset commdesk:070-analytics-read-indexes
-- Read paths of the dashboard that the rollups do not cover, all on low-volume rows:
-- a community's payouts paid or reversed in a month (the journals are the ledger's record of when);
create index analytics_payout_journal_idx on journal (community_id, created_at)
    where kind in ('PAYOUT_PAID', 'PAYOUT_REVERSED');
-- reversals of a period (the transaction register lists them as negative lines);
create index analytics_reversal_journal_idx on journal (community_id, created_at) where kind = 'REVERSAL';
create index analytics_reversal_journal_day_idx on journal (created_at) where kind = 'REVERSAL';
-- the payout a paid or reversed journal belongs to, and a community's payouts newest first;
create index analytics_payout_paid_journal_idx on payout (paid_journal_id) where paid_journal_id is not null;
create index analytics_payout_reversed_journal_idx on payout (reversed_journal_id) where reversed_journal_id is not null;
create index analytics_payout_community_idx on payout (community_id, created_at);
-- a member's open holds with their release dates (wallet history);
create index analytics_open_hold_member_idx on wallet_hold (community_id, user_id, release_at)
    where released_journal_id is null and cancelled_journal_id is null;
-- refunds of a period (the register a refund figure links to).
create index analytics_refund_created_idx on refund (created_at);
