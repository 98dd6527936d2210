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
-- Both levels carry exactly the value columns of analytics_revenue_delta, in its order (each a sum of it), and
-- every statement below that sums them is generated from that one list, so the three cannot disagree.
create table analytics_platform_revenue_delta (
    day          date    not null,
    source_type  text    not null,
    rule_id      text    not null,
    rule_version integer not null
);
-- month: the first day of the India-time calendar month of the daily rows it sums.
create table analytics_community_month_delta (
    month        date not null check (month = date_trunc('month', month)::date),
    community_id text not null
);

do $do$
declare
    -- the value columns: everything of analytics_revenue_delta after its five key columns
    cols text[] := (select array_agg(column_name::text order by ordinal_position) from information_schema.columns
                     where table_schema = current_schema() and table_name = 'analytics_revenue_delta' and ordinal_position > 5);
    sums text := (select string_agg(format('sum(%I)', c), ', ' order by i) from unnest(cols) with ordinality u(c, i));
    c text;
    -- Merges every key's deltas of one level into one row in a single statement (readers see the same sums
    -- before and after), as 070 does for the daily rollups: %1$I table, %2$s key columns, %3$s join on the
    -- keys, %4$s the first day to merge, %5$s the sums.
    merge_level text := $m$
    with keys as (
        select %2$s from %1$I where %4$s group by %2$s having count(*) > 1),
    gone as (
        delete from %1$I d using keys k where %3$s returning d.*),
    merged as (
        insert into %1$I select %2$s, %5$s from gone group by %2$s returning 1)
    select (select count(*) from gone) - (select count(*) from merged) into n;
    removed := removed + n;
$m$;
begin
    foreach c in array cols loop
        execute format('alter table analytics_platform_revenue_delta add column %I bigint not null default 0', c);
        execute format('alter table analytics_community_month_delta add column %I bigint not null default 0', c);
    end loop;

    -- Rolls up every daily row a ledger trigger adds (070's payments, reversals and refunds, 020's refund outcomes).
    execute format($f$
create function analytics_on_revenue_deltas() returns trigger language plpgsql security definer as $fn$
begin
    if pg_trigger_depth() < 2 then
        return null;  -- a top-level insert: analytics_compact()'s merged rows, already rolled up
    end if;
    insert into analytics_platform_revenue_delta
    select day, source_type, rule_id, rule_version, %1$s from new_deltas group by 1, 2, 3, 4;
    insert into analytics_community_month_delta
    select date_trunc('month', day)::date, community_id, %1$s from new_deltas group by 1, 2;
    return null;
end $fn$ $f$, sums);

    -- 070's compaction keeps merging the daily rollups under its old name; the new analytics_compact() takes
    -- the same advisory lock (re-entrant within the transaction), runs it, then merges the two new levels.
    alter function analytics_compact(date) rename to analytics_compact_daily;
    execute format($f$
create function analytics_compact(since date default null) returns bigint language plpgsql security definer as $fn$
declare
    removed bigint;
    n bigint;
begin
    if not pg_try_advisory_xact_lock(hashtext('analytics_compact')) then
        return 0;
    end if;
    removed := analytics_compact_daily(since);
    %1$s
    %2$s
    return removed;
end $fn$ $f$,
        format(merge_level, 'analytics_platform_revenue_delta', 'day, source_type, rule_id, rule_version',
               'd.day = k.day and d.source_type = k.source_type and d.rule_id = k.rule_id and d.rule_version = k.rule_version',
               'day >= coalesce(since, ''-infinity''::date)', sums),
        format(merge_level, 'analytics_community_month_delta', 'month, community_id',
               'd.month = k.month and d.community_id = k.community_id',
               'month >= coalesce(date_trunc(''month'', since)::date, ''-infinity''::date)', sums));

    execute format('alter function analytics_on_revenue_deltas() set search_path = %I, pg_catalog, pg_temp', current_schema());
    execute format('alter function analytics_compact(date) set search_path = %I, pg_catalog, pg_temp', current_schema());

    -- The trigger first, then the backfill, in this changeset's one transaction: creating the trigger takes a
    -- lock that waits for every transaction still writing daily rows and holds off new ones until commit, so
    -- each daily row is rolled up exactly once, by the backfill (committed before) or by the trigger (after).
    create trigger analytics_revenue_levels after insert on analytics_revenue_delta
        referencing new table as new_deltas
        for each statement execute function analytics_on_revenue_deltas();
    execute format('insert into analytics_platform_revenue_delta select day, source_type, rule_id, rule_version, %s'
                   ' from analytics_revenue_delta group by 1, 2, 3, 4', sums);
    execute format('insert into analytics_community_month_delta select date_trunc(''month'', day)::date, community_id, %s'
                   ' from analytics_revenue_delta group by 1, 2', sums);
end $do$;

create index analytics_platform_revenue_delta_day_idx on analytics_platform_revenue_delta (day);
create index analytics_community_month_delta_month_idx on analytics_community_month_delta (month, community_id);

insert into runtime_access_policy (table_name, access, update_columns, why) values
    ('analytics_platform_revenue_delta', 'READ_ONLY', '{}', 'platform-level rollup deltas written by the database''s own triggers (121)'),
    ('analytics_community_month_delta',  'READ_ONLY', '{}', 'monthly per-community rollup deltas written by the database''s own triggers (121)');
select ledger_apply_runtime_grants();
