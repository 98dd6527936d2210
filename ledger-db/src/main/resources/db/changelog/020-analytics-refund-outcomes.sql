--liquibase formatted sql

--changeset commdesk:020-analytics-refund-outcomes splitStatements:false
-- Why: a refund is booked when it is reserved, before Cashfree is asked (018, docs/decisions.md D15),
-- so the revenue rollup (070) counts it from its reservation, which is what the members' wallets show.
-- When Cashfree cancels or fails it, the reservation is reversed and the members get their part back:
-- the rollup must take the refund back out too, on the day of that outcome (as a payment's reversal
-- does), or the dashboard's refund figures and "what each community owes its members" drift from the
-- wallets. A SUCCEEDED outcome changes nothing here: the refund was counted when it was reserved.
create function analytics_on_refund_outcomes() returns trigger language plpgsql security definer as $$
begin
    insert into analytics_revenue_delta (day, community_id, source_type, rule_id, rule_version, refunds, refund_paise,
            chargebacks, chargeback_paise, refund_gst_paise, refund_gateway_paise, refund_platform_paise, refund_tcs_paise,
            refund_tds_paise, refund_net_paise, refund_members_paise)
    select (o.created_at at time zone 'Asia/Kolkata')::date, t.community_id, t.source_type,
           coalesce(t.rule_id, ''), coalesce(t.rule_version, 0),
           -count(*) filter (where r.kind = 'REFUND'), -coalesce(sum(r.amount_paise) filter (where r.kind = 'REFUND'), 0),
           -count(*) filter (where r.kind = 'CHARGEBACK'), -coalesce(sum(r.amount_paise) filter (where r.kind = 'CHARGEBACK'), 0),
           -sum(coalesce(r.part_gst_paise, 0)), -sum(coalesce(r.part_gateway_paise, 0)), -sum(coalesce(r.part_platform_paise, 0)),
           -sum(coalesce(r.part_tcs_paise, 0)), -sum(coalesce(r.part_tds_paise, 0)), -sum(coalesce(r.part_net_paise, 0)),
           -sum(r.from_pending_paise + r.from_available_paise + r.to_receivable_paise)
      from new_outcomes o
      join refund r on r.refund_id = o.refund_id
      join revenue_transaction t on t.transaction_id = r.transaction_id
     where o.outcome in ('FAILED', 'CANCELLED')
     group by 1, 2, 3, 4, 5;
    return null;
end $$;

create trigger analytics_refund_outcomes after insert on refund_outcome
    referencing new table as new_outcomes
    for each statement execute function analytics_on_refund_outcomes();

do $$
begin
    execute format('alter function analytics_on_refund_outcomes() set search_path = %I, pg_catalog, pg_temp', current_schema());
end $$;

-- The facts the invariant checker compares the rollup with: 070's, plus one negative line per refund
-- Cashfree cancelled or failed.
create or replace view analytics_revenue_facts as
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
  from refund r join revenue_transaction t using (transaction_id)
union all
select (o.created_at at time zone 'Asia/Kolkata')::date, t.community_id, t.source_type, coalesce(t.rule_id, ''),
       coalesce(t.rule_version, 0), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
       case when r.kind = 'REFUND' then -1 else 0 end, case when r.kind = 'REFUND' then -r.amount_paise else 0 end,
       case when r.kind = 'CHARGEBACK' then -1 else 0 end, case when r.kind = 'CHARGEBACK' then -r.amount_paise else 0 end,
       -coalesce(r.part_gst_paise, 0), -coalesce(r.part_gateway_paise, 0), -coalesce(r.part_platform_paise, 0),
       -coalesce(r.part_tcs_paise, 0), -coalesce(r.part_tds_paise, 0), -coalesce(r.part_net_paise, 0),
       -(r.from_pending_paise + r.from_available_paise + r.to_receivable_paise)
  from refund_outcome o join refund r using (refund_id) join revenue_transaction t on t.transaction_id = r.transaction_id
 where o.outcome in ('FAILED', 'CANCELLED');

-- Outcomes recorded before this changeset (018's backfill marks legacy refunds SUCCEEDED, so normally none).
insert into analytics_revenue_delta (day, community_id, source_type, rule_id, rule_version, refunds, refund_paise,
        chargebacks, chargeback_paise, refund_gst_paise, refund_gateway_paise, refund_platform_paise, refund_tcs_paise,
        refund_tds_paise, refund_net_paise, refund_members_paise)
select (o.created_at at time zone 'Asia/Kolkata')::date, t.community_id, t.source_type, coalesce(t.rule_id, ''), coalesce(t.rule_version, 0),
       -count(*) filter (where r.kind = 'REFUND'), -coalesce(sum(r.amount_paise) filter (where r.kind = 'REFUND'), 0),
       -count(*) filter (where r.kind = 'CHARGEBACK'), -coalesce(sum(r.amount_paise) filter (where r.kind = 'CHARGEBACK'), 0),
       -sum(coalesce(r.part_gst_paise, 0)), -sum(coalesce(r.part_gateway_paise, 0)), -sum(coalesce(r.part_platform_paise, 0)),
       -sum(coalesce(r.part_tcs_paise, 0)), -sum(coalesce(r.part_tds_paise, 0)), -sum(coalesce(r.part_net_paise, 0)),
       -sum(r.from_pending_paise + r.from_available_paise + r.to_receivable_paise)
  from refund_outcome o join refund r using (refund_id) join revenue_transaction t on t.transaction_id = r.transaction_id
 where o.outcome in ('FAILED', 'CANCELLED')
 group by 1, 2, 3, 4, 5;
