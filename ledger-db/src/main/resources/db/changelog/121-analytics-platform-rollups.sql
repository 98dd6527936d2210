--liquibase formatted sql

--changeset commdesk:121-analytics-platform-rollups splitStatements:false
-- Why: the platform-wide month view (issue 12, p95 < 300 ms over 1,000,000 payments) summed every
-- community's daily rows of analytics_revenue_delta (070): about communities x days rows a month
-- (35,000-49,000 at 1,000 communities), and its time was the aggregation of those rows, whatever the
-- compaction (docs/analytics.md, "Re-measured on 2026-12-02"). Two coarser levels of the same rollup
-- bound it to about 100 + 1,000 rows a month whatever the number of communities:
--   analytics_platform_revenue_delta  per day, revenue source and rule version, all communities together
--                                     (the platform's totals, series by day or month, by source, by rule);
--   analytics_community_month_delta   per month and community (the top-communities ranking).
-- Both are insert-only deltas like 070's (no row lock on the payment path), merged by analytics_compact().
--
-- How they are written: every row the ledger's statement-level triggers (070 payments, reversals and
-- refunds; 020 refund outcomes) add to analytics_revenue_delta is rolled up once more, by a
-- statement-level trigger on analytics_revenue_delta itself, in the same statement and the same ledger
-- transaction. Rows that analytics_compact() writes are merges of rows already rolled up; they are told
-- apart by the trigger depth: the ledger's triggers insert from inside a trigger (so this one runs at
-- depth 2 or more), compaction (and the owner's hand) insert from a top-level statement (depth 1 here).
-- The runtime role cannot insert into analytics_revenue_delta at all, so it cannot steer this.
-- AnalyticsChecks re-derives both levels from analytics_revenue_delta, itself re-derived from the raw rows.
create table analytics_platform_revenue_delta (
    day          date    not null,
    source_type  text    not null,
    rule_id      text    not null,
    rule_version integer not null,
    payments bigint not null default 0, reversals bigint not null default 0,
    gross_paise bigint not null default 0, gst_paise bigint not null default 0,
    gst_cgst_paise bigint not null default 0, gst_sgst_paise bigint not null default 0,
    gst_igst_paise bigint not null default 0, gateway_fee_paise bigint not null default 0,
    gateway_gst_paise bigint not null default 0, platform_fee_paise bigint not null default 0,
    platform_gst_paise bigint not null default 0, platform_income_paise bigint not null default 0,
    tcs_paise bigint not null default 0, tds_paise bigint not null default 0,
    net_paise bigint not null default 0, refunds bigint not null default 0,
    refund_paise bigint not null default 0, chargebacks bigint not null default 0,
    chargeback_paise bigint not null default 0, refund_gst_paise bigint not null default 0,
    refund_gateway_paise bigint not null default 0, refund_platform_paise bigint not null default 0,
    refund_tcs_paise bigint not null default 0, refund_tds_paise bigint not null default 0,
    refund_net_paise bigint not null default 0, refund_members_paise bigint not null default 0
);
create index analytics_platform_revenue_delta_day_idx on analytics_platform_revenue_delta (day);

-- month: the first day of the India-time calendar month of the daily rows it sums.
create table analytics_community_month_delta (
    month        date not null check (month = date_trunc('month', month)::date),
    community_id text not null,
    payments bigint not null default 0, reversals bigint not null default 0,
    gross_paise bigint not null default 0, gst_paise bigint not null default 0,
    gst_cgst_paise bigint not null default 0, gst_sgst_paise bigint not null default 0,
    gst_igst_paise bigint not null default 0, gateway_fee_paise bigint not null default 0,
    gateway_gst_paise bigint not null default 0, platform_fee_paise bigint not null default 0,
    platform_gst_paise bigint not null default 0, platform_income_paise bigint not null default 0,
    tcs_paise bigint not null default 0, tds_paise bigint not null default 0,
    net_paise bigint not null default 0, refunds bigint not null default 0,
    refund_paise bigint not null default 0, chargebacks bigint not null default 0,
    chargeback_paise bigint not null default 0, refund_gst_paise bigint not null default 0,
    refund_gateway_paise bigint not null default 0, refund_platform_paise bigint not null default 0,
    refund_tcs_paise bigint not null default 0, refund_tds_paise bigint not null default 0,
    refund_net_paise bigint not null default 0, refund_members_paise bigint not null default 0
);
create index analytics_community_month_delta_month_idx on analytics_community_month_delta (month, community_id);

create function analytics_on_revenue_deltas() returns trigger language plpgsql security definer as $$
begin
    if pg_trigger_depth() < 2 then
        return null;  -- a top-level insert: analytics_compact()'s merged rows, already rolled up
    end if;
    insert into analytics_platform_revenue_delta
    select day, source_type, rule_id, rule_version,
           sum(payments), sum(reversals), sum(gross_paise), sum(gst_paise), sum(gst_cgst_paise),
           sum(gst_sgst_paise), sum(gst_igst_paise), sum(gateway_fee_paise), sum(gateway_gst_paise),
           sum(platform_fee_paise), sum(platform_gst_paise), sum(platform_income_paise), sum(tcs_paise),
           sum(tds_paise), sum(net_paise), sum(refunds), sum(refund_paise), sum(chargebacks),
           sum(chargeback_paise), sum(refund_gst_paise), sum(refund_gateway_paise),
           sum(refund_platform_paise), sum(refund_tcs_paise), sum(refund_tds_paise), sum(refund_net_paise),
           sum(refund_members_paise)
      from new_deltas
     group by 1, 2, 3, 4;
    insert into analytics_community_month_delta
    select date_trunc('month', day)::date, community_id,
           sum(payments), sum(reversals), sum(gross_paise), sum(gst_paise), sum(gst_cgst_paise),
           sum(gst_sgst_paise), sum(gst_igst_paise), sum(gateway_fee_paise), sum(gateway_gst_paise),
           sum(platform_fee_paise), sum(platform_gst_paise), sum(platform_income_paise), sum(tcs_paise),
           sum(tds_paise), sum(net_paise), sum(refunds), sum(refund_paise), sum(chargebacks),
           sum(chargeback_paise), sum(refund_gst_paise), sum(refund_gateway_paise),
           sum(refund_platform_paise), sum(refund_tcs_paise), sum(refund_tds_paise), sum(refund_net_paise),
           sum(refund_members_paise)
      from new_deltas
     group by 1, 2;
    return null;
end $$;

-- 070's compaction keeps merging the daily rollups; the new analytics_compact() takes the same advisory
-- lock (re-entrant within the transaction), runs it, then merges the two new levels the same way
-- (delete a key's rows and insert their sum in one statement: readers see the same sums before and after).
alter function analytics_compact(date) rename to analytics_compact_daily;

create function analytics_compact(since date default null) returns bigint language plpgsql security definer as $$
declare
    removed bigint;
    n bigint;
begin
    if not pg_try_advisory_xact_lock(hashtext('analytics_compact')) then
        return 0;
    end if;
    removed := analytics_compact_daily(since);

    with keys as (
        select day, source_type, rule_id, rule_version from analytics_platform_revenue_delta
         where day >= coalesce(since, '-infinity'::date) group by 1, 2, 3, 4 having count(*) > 1),
    gone as (
        delete from analytics_platform_revenue_delta d using keys k
         where d.day = k.day and d.source_type = k.source_type and d.rule_id = k.rule_id and d.rule_version = k.rule_version
        returning d.*),
    merged as (
        insert into analytics_platform_revenue_delta
        select day, source_type, rule_id, rule_version,
               sum(payments), sum(reversals), sum(gross_paise), sum(gst_paise), sum(gst_cgst_paise),
               sum(gst_sgst_paise), sum(gst_igst_paise), sum(gateway_fee_paise), sum(gateway_gst_paise),
               sum(platform_fee_paise), sum(platform_gst_paise), sum(platform_income_paise), sum(tcs_paise),
               sum(tds_paise), sum(net_paise), sum(refunds), sum(refund_paise), sum(chargebacks),
               sum(chargeback_paise), sum(refund_gst_paise), sum(refund_gateway_paise),
               sum(refund_platform_paise), sum(refund_tcs_paise), sum(refund_tds_paise), sum(refund_net_paise),
               sum(refund_members_paise)
          from gone group by 1, 2, 3, 4
        returning 1)
    select (select count(*) from gone) - (select count(*) from merged) into n;
    removed := removed + n;

    with keys as (
        select month, community_id from analytics_community_month_delta
         where month >= coalesce(date_trunc('month', since)::date, '-infinity'::date) group by 1, 2 having count(*) > 1),
    gone as (
        delete from analytics_community_month_delta d using keys k
         where d.month = k.month and d.community_id = k.community_id
        returning d.*),
    merged as (
        insert into analytics_community_month_delta
        select month, community_id,
               sum(payments), sum(reversals), sum(gross_paise), sum(gst_paise), sum(gst_cgst_paise),
               sum(gst_sgst_paise), sum(gst_igst_paise), sum(gateway_fee_paise), sum(gateway_gst_paise),
               sum(platform_fee_paise), sum(platform_gst_paise), sum(platform_income_paise), sum(tcs_paise),
               sum(tds_paise), sum(net_paise), sum(refunds), sum(refund_paise), sum(chargebacks),
               sum(chargeback_paise), sum(refund_gst_paise), sum(refund_gateway_paise),
               sum(refund_platform_paise), sum(refund_tcs_paise), sum(refund_tds_paise), sum(refund_net_paise),
               sum(refund_members_paise)
          from gone group by 1, 2
        returning 1)
    select (select count(*) from gone) - (select count(*) from merged) into n;
    return removed + n;
end $$;

do $$
begin
    execute format('alter function analytics_on_revenue_deltas() set search_path = %I, pg_catalog, pg_temp', current_schema());
    execute format('alter function analytics_compact(date) set search_path = %I, pg_catalog, pg_temp', current_schema());
end $$;

-- The trigger first, then the backfill, in this changeset's one transaction: creating the trigger takes a
-- lock that waits for every transaction still writing daily rows and holds off new ones until commit, so
-- each daily row is rolled up exactly once, by the backfill (committed before) or by the trigger (after).
create trigger analytics_revenue_levels after insert on analytics_revenue_delta
    referencing new table as new_deltas
    for each statement execute function analytics_on_revenue_deltas();

insert into analytics_platform_revenue_delta
select day, source_type, rule_id, rule_version,
       sum(payments), sum(reversals), sum(gross_paise), sum(gst_paise), sum(gst_cgst_paise),
       sum(gst_sgst_paise), sum(gst_igst_paise), sum(gateway_fee_paise), sum(gateway_gst_paise),
       sum(platform_fee_paise), sum(platform_gst_paise), sum(platform_income_paise), sum(tcs_paise),
       sum(tds_paise), sum(net_paise), sum(refunds), sum(refund_paise), sum(chargebacks),
       sum(chargeback_paise), sum(refund_gst_paise), sum(refund_gateway_paise),
       sum(refund_platform_paise), sum(refund_tcs_paise), sum(refund_tds_paise), sum(refund_net_paise),
       sum(refund_members_paise)
  from analytics_revenue_delta
 group by 1, 2, 3, 4;
insert into analytics_community_month_delta
select date_trunc('month', day)::date, community_id,
       sum(payments), sum(reversals), sum(gross_paise), sum(gst_paise), sum(gst_cgst_paise),
       sum(gst_sgst_paise), sum(gst_igst_paise), sum(gateway_fee_paise), sum(gateway_gst_paise),
       sum(platform_fee_paise), sum(platform_gst_paise), sum(platform_income_paise), sum(tcs_paise),
       sum(tds_paise), sum(net_paise), sum(refunds), sum(refund_paise), sum(chargebacks),
       sum(chargeback_paise), sum(refund_gst_paise), sum(refund_gateway_paise),
       sum(refund_platform_paise), sum(refund_tcs_paise), sum(refund_tds_paise), sum(refund_net_paise),
       sum(refund_members_paise)
  from analytics_revenue_delta
 group by 1, 2;

insert into runtime_access_policy (table_name, access, update_columns, why) values
    ('analytics_platform_revenue_delta', 'READ_ONLY', '{}', 'platform-level rollup deltas written by the database''s own triggers (121)'),
    ('analytics_community_month_delta',  'READ_ONLY', '{}', 'monthly per-community rollup deltas written by the database''s own triggers (121)');
select ledger_apply_runtime_grants();
