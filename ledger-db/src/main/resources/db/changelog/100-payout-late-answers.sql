--liquibase formatted sql

--changeset commdesk:100-payout-late-answers
-- Payout follow-up defects 8 and 10 (docs/payouts.md). A payout released and then paid after all
-- (Cashfree's late SUCCESS) is locked a second time; that lock, and the release after a later
-- reversal, are the payout's own journals recorded here, so a reversal decides from the payout's own
-- record which journal returns the money (the first release's key is never reused).
alter table payout add column relock_journal_id bigint null references journal (journal_id);
alter table payout add column relock_failed_journal_id bigint null references journal (journal_id);
-- Payouts paid late before this column existed: their second lock is the journal under the relock key.
update payout p set relock_journal_id = j.journal_id
  from journal j
 where j.idempotency_key = 'payout_lock:payout_relock:' || p.payout_id and j.kind = 'PAYOUT_LOCK';
-- Every flag of an unsent payout bumps its generation; an approval counts only if it was given seeing the
-- current generation (an approval signalled before a flag but recorded after it no longer lets the transfer out).
alter table payout add column flag_generation integer not null default 0 check (flag_generation >= 0);
update payout set flag_generation = 1 where flagged_reason is not null;
update runtime_access_policy
   set update_columns = update_columns || '{relock_journal_id,relock_failed_journal_id,flag_generation}'::text[]
 where table_name = 'payout';
select ledger_apply_runtime_grants();
