-- One group commit of 250 payments with the row shape LedgerRepository.postBatchTx writes, generated
-- inside PostgreSQL (no client work at all): per payment 1 journal, 22 postings, 1 revenue
-- transaction, 12 distributions, 1 platform revenue row, and the summed wallet updates (create,
-- lock in order, add). It measures what the server alone can do with this schema on this machine.
begin;
with s as (select nextval('bench_payment_seq') as n from generate_series(1, 250)),
 j as (insert into journal (idempotency_key, kind, community_id, description, content_sha256)
       select 'pay-' || n, 'PAYMENT', 'c' || (n % 64), 'payment EVENT evt-' || n || ' order order-' || n, md5(n::text) || md5(n::text)
         from s order by 1
       on conflict (idempotency_key) do nothing
       returning journal_id, idempotency_key, community_id),
 p as (insert into posting (journal_id, account_id, amount_paise)
       select j.journal_id, case when g <= 10 then g else (select min(account_id) from ledger_account) + 17 + (g - 11) end,
              case when g = 1 then 21 else -1 end
         from j cross join generate_series(1, 22) g
       returning 1),
 rt as (insert into revenue_transaction (transaction_id, community_id, source_type, source_id, cashfree_order_id, cashfree_payment_id,
          payment_method, gross_amount_paise, gst_amount_paise, gst_cgst_paise, gst_sgst_paise, gst_igst_paise, payment_gateway_fee_paise,
          payment_gateway_gst_paise, platform_fee_paise, platform_fee_gst_paise, platform_fee_gst_mode, tcs_paise, tds_paise,
          net_revenue_paise, schedule_name, metadata, idempotency_key, journal_id)
        select md5('revenue-transaction:' || j.idempotency_key)::uuid, j.community_id, 'EVENT', 'evt', 'order-' || j.idempotency_key,
               'cf-' || j.idempotency_key, 'UPI', 1000000, 152542, 0, 0, 152542, 20000, 3600, 82386, 12567, 'INCLUDED', 4237,
               847, 736388, 'recommended-default', '{}', j.idempotency_key, j.journal_id
          from j
        returning transaction_id, community_id),
 d as (insert into revenue_distribution (distribution_id, transaction_id, community_id, user_id, role_id, role_name, share_bps, amount_paise)
       select md5(rt.transaction_id::text || ':' || g)::uuid, rt.transaction_id, rt.community_id, 'u' || g,
              rt.community_id || ':r' || (g / 3), 'r' || (g / 3), 2500, 61365
         from rt cross join generate_series(0, 11) g
       returning 1),
 pr as (insert into platform_revenue (platform_revenue_id, transaction_id, amount_paise, gst_amount_paise, fee_bps)
        select md5('platform:' || rt.transaction_id::text)::uuid, rt.transaction_id, 82386, 12567, 1000 from rt
        returning 1)
select (select count(*) from p) + (select count(*) from d) + (select count(*) from pr);
insert into community_wallet (community_id) select 'c' || g from generate_series(0, 63) g on conflict do nothing;
select 1 from community_wallet order by community_id for update;
update community_wallet set total_gross_revenue_paise = total_gross_revenue_paise + 3906250,
       total_net_revenue_paise = total_net_revenue_paise + 2876515, pending_settlement_paise = pending_settlement_paise + 2876515,
       updated_at = now();
insert into member_wallet (community_id, role, user_id)
    select 'c' || c, 'r' || (m / 3), 'u' || m from generate_series(0, 63) c, generate_series(0, 11) m on conflict do nothing;
select 1 from member_wallet order by community_id, role, user_id for update;
update member_wallet set pending_paise = pending_paise + 239707, updated_at = now();
commit;
