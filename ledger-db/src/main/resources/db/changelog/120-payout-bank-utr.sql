--liquibase formatted sql

--changeset commdesk:120-payout-bank-utr
-- The bank's reference (UTR) of a payout's transfer, as Cashfree reports it (transfer_utr) once the transfer
-- succeeded: from the status fetch or the webhook, whichever comes first. Written once and never changed
-- (a different UTR reported later is recorded as a payout event for finance, the first one stays), so owners,
-- members and statements quote the reference the bank gave the money.
alter table payout add column bank_utr text null check (bank_utr ~ '^[A-Za-z0-9]{1,40}$');
update runtime_access_policy set update_columns = array_append(update_columns, 'bank_utr')
 where table_name = 'payout' and not ('bank_utr' = any (update_columns));
select ledger_apply_runtime_grants();
