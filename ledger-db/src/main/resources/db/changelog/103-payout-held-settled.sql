--liquibase formatted sql

--changeset commdesk:103-payout-held-settled
-- Issue 10, review M2 / L1 (docs/payouts.md, "Cashfree contradicts itself"). A payout paid on finance's word, returned
-- on Cashfree's FAILED (PAYOUT_REVERSED + PAYOUT_FAILED) and locked again for finance on Cashfree's later SUCCESS
-- (relock_journal_id) could not be confirmed paid: its first round's PAYOUT_PAID key was taken, so the money stayed
-- locked for ever. The relocked money is now paid by a journal of the relock's own round,
-- payout_paid:payout_relock:<id> (relock_paid_journal_id), and, should the bank send that second payment back too,
-- returned by payout_reversed:payout_relock:<id> (relock_reversed_journal_id) and the relock's own release
-- payout_failed:payout_relock:<id> (relock_failed_journal_id, changeset 100). The keys are made by JournalKey only; the
-- journal keys' uniqueness and the wallet buckets' balance guards hold each movement to once and to money that is there.
alter table payout add column relock_paid_journal_id bigint null references journal (journal_id);
alter table payout add column relock_reversed_journal_id bigint null references journal (journal_id);
-- L1: Cashfree's FAILED/REJECTED after its own SUCCESS for a PAID payout puts it on finance's attention list once (the
-- money stays paid out); set then, never cleared, so a redelivery or a later refusal never reopens what finance decided.
alter table payout add column refusal_after_success_at timestamptz null;
update runtime_access_policy
   set update_columns = update_columns || '{relock_paid_journal_id,relock_reversed_journal_id,refusal_after_success_at}'::text[]
 where table_name = 'payout' and not ('relock_paid_journal_id' = any (update_columns));
select ledger_apply_runtime_grants();

--changeset commdesk:103-distribution-paid-payout-held splitStatements:false
-- L1: a PAID payout put on finance's attention list keeps its money paid out, so its allocations stay PAID (they would
-- read APPROVED, "on its way", for money the member has); finance's PAID leaves them so, its FAILED (by two) reverses the
-- payout and they become FAILED as for any reversal. Every other status change follows changeset 091's mapping.
create or replace function distribution_follow_payout() returns trigger language plpgsql as $$
begin
    if old.status = 'PAID' and new.status = 'NEEDS_ATTENTION' then
        return null;
    end if;
    update distribution_allocation
       set status = distribution_status_of(new.status, new.needs_approval), updated_at = now()
     where payout_id = new.payout_id and status <> 'FAILED'
       and status <> distribution_status_of(new.status, new.needs_approval);
    return null;
end $$;
do $$
begin
    execute format('alter function distribution_follow_payout() set search_path = %I, pg_catalog, pg_temp', current_schema());
end $$;
