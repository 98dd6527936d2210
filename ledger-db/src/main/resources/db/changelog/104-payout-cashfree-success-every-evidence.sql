--liquibase formatted sql

--changeset commdesk:104-payout-cashfree-success-every-evidence
-- Last review M3 (docs/payouts.md, "Late answers"): 102 backfilled cashfree_success_at only from Cashfree's record and
-- from the SUCCESS webhook's event text. A SUCCESS known only from a poll (Cashfree's record keeps a FAILED that a SUCCESS
-- followed, but the poll stored the bank's reference) or from an event written by another code path left it null, so a
-- legacy payout paid on finance's word with a FAILED on record looked like money that never left, and the first sweep
-- would have returned money Cashfree had paid. Every evidence the code writes of Cashfree's SUCCESS (or REVERSED, which
-- only follows one) now counts, the earliest of them dating it:
--   * bank_utr on the payout (stored only for a SUCCESS or REVERSED answer, from a poll or a webhook, changeset 120),
--     and the UTR, UTR_MISMATCH, UTR_REFUSED events written with it (bankUtr)
--   * WEBHOOK events "<type> <status> <code>" and the webhook's LATE_UNPOSTED "<type> <status>[ <code>]: <why>"
--     with status SUCCESS or REVERSED (PayoutWebhookController, PayoutRepository.lateAnswer)
--   * "late SUCCESS..." (latePaid's PAID and LATE_UNPOSTED, holdForFinance's LATE_UNPOSTED and NEEDS_ATTENTION)
--   * "Cashfree SUCCESS <code> after the payout ended..." (the workflow's successAfterRelease, its activity's refusals)
--   * "...Cashfree said SUCCESS..." (the workflow's contradiction for finance, reversePaid, lateAnswer)
--   * "...contradicts Cashfree's SUCCESS / REVERSED" (lateAnswer), "sweep: Cashfree's recorded REVERSED..." (the sweep)
--   * REVERSED events "reversed after success: <code>" and "late REVERSED <code>", FAILED "Cashfree REVERSED <code>"
--     (the workflow's finish on a polled REVERSED)
--   * a recorded payouts webhook (webhook_event) whose data.status is SUCCESS or REVERSED
-- Only payouts whose cashfree_success_at is null are touched (a date recorded by the code stays).
with evidence (payout_id, seen_at) as (
    select p.payout_id, coalesce(p.paid_at, p.updated_at) from payout p where p.cashfree_status in ('SUCCESS', 'REVERSED')
    union all
    select p.payout_id, p.updated_at from payout p where p.bank_utr is not null
    union all
    select e.payout_id, e.created_at from payout_event e
     where (e.actor = 'cashfree' and (e.status in ('UTR', 'UTR_MISMATCH', 'UTR_REFUSED')
                or (e.status in ('WEBHOOK', 'LATE_UNPOSTED') and e.detail ~ '^\S* (SUCCESS|REVERSED)( |:|$)')
                or e.detail like 'late SUCCESS%'
                or e.detail like 'Cashfree SUCCESS %'
                or e.detail like '%Cashfree said SUCCESS%'
                or e.detail ~ 'contradicts Cashfree''s (SUCCESS|REVERSED)'
                or e.detail like 'sweep: Cashfree''s recorded REVERSED%'))
        or (e.status = 'REVERSED' and (e.detail like 'reversed after success:%' or e.detail like 'late REVERSED %'))
        or (e.status = 'FAILED' and e.detail like 'Cashfree REVERSED %')
    union all
    select w.order_id, w.received_at from webhook_event w
     where w.payload -> 'data' ->> 'transfer_id' = w.order_id and w.payload -> 'data' ->> 'status' in ('SUCCESS', 'REVERSED')
)
update payout p set cashfree_success_at = s.first_seen
  from (select payout_id, min(seen_at) as first_seen from evidence group by payout_id) s
 where p.payout_id = s.payout_id and p.cashfree_success_at is null;
