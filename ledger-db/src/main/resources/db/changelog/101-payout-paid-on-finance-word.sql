--liquibase formatted sql

--changeset commdesk:101-payout-paid-on-finance-word
-- Review P10 (docs/payouts.md, "Late answers"): a payout's workflow marked it PAID because finance confirmed it
-- ("confirm paid"), not because Cashfree said SUCCESS. Written once, by the markPaid step the workflow ran on the
-- resolution, never by the resolve endpoint: a resolution the workflow never acted on (its signal lost, the workflow
-- gone, or Cashfree's own SUCCESS taken first) is not an input to a money movement. A late FAILED/REJECTED returns the
-- money of a payout only if this is true.
alter table payout add column paid_on_finance_word boolean not null default false;
-- Payouts paid before this column existed: finance's PAID resolution, and Cashfree never said SUCCESS (neither in its
-- record on the payout nor in a recorded SUCCESS webhook, which older code did not write to the record).
update payout p set paid_on_finance_word = true
 where p.paid_journal_id is not null and p.resolution_outcome = 'PAID'
   and p.cashfree_status is distinct from 'SUCCESS' and p.cashfree_status is distinct from 'REVERSED'
   and not exists (select 1 from payout_event e where e.payout_id = p.payout_id and e.status = 'WEBHOOK'
                    and e.detail like '% SUCCESS %');
update runtime_access_policy set update_columns = array_append(update_columns, 'paid_on_finance_word')
 where table_name = 'payout' and not ('paid_on_finance_word' = any (update_columns));
select ledger_apply_runtime_grants();
