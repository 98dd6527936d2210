--liquibase formatted sql

--changeset commdesk:102-payout-cashfree-success-seen
-- Review P4-1 (docs/payouts.md, "Late answers"): "Cashfree never said SUCCESS" must be a sticky fact. cashfree_status
-- keeps FAILED when Cashfree's SUCCESS follows its FAILED (rank order), so a payout held for finance on that SUCCESS and
-- confirmed paid looked, to the sweep and to a redelivered FAILED, like money paid on finance's word alone and was
-- returned to available: paid twice. cashfree_success_at is set by recordCashfree on the first SUCCESS (or REVERSED,
-- which only follows a SUCCESS) Cashfree reports, from a poll or a webhook, and never cleared.
alter table payout add column cashfree_success_at timestamptz null;
-- Payouts from before this column: Cashfree's record says SUCCESS/REVERSED, or a SUCCESS was recorded as an event (a
-- SUCCESS webhook, or the late SUCCESS that latePaid posted or holdForFinance held for finance).
update payout p set cashfree_success_at = coalesce(
        (select min(e.created_at) from payout_event e where e.payout_id = p.payout_id
            and ((e.status = 'WEBHOOK' and e.detail like '% SUCCESS %')
                 or (e.actor = 'cashfree' and e.status in ('PAID', 'LATE_UNPOSTED') and e.detail like 'late SUCCESS%'))),
        case when p.cashfree_status in ('SUCCESS', 'REVERSED') then coalesce(p.paid_at, p.updated_at) end)
 where p.cashfree_success_at is null
   and (p.cashfree_status in ('SUCCESS', 'REVERSED')
        or exists (select 1 from payout_event e where e.payout_id = p.payout_id
            and ((e.status = 'WEBHOOK' and e.detail like '% SUCCESS %')
                 or (e.actor = 'cashfree' and e.status in ('PAID', 'LATE_UNPOSTED') and e.detail like 'late SUCCESS%'))));
update runtime_access_policy set update_columns = array_append(update_columns, 'cashfree_success_at')
 where table_name = 'payout' and not ('cashfree_success_at' = any (update_columns));
select ledger_apply_runtime_grants();
