--liquibase formatted sql

--changeset commdesk:115-recon-run-missing-on-theirs
-- A run's match rate is matched ÷ (payment lines + our payments missing on Cashfree's side). The run computed it from
-- its own count; the match-rate metric (and its alert) and the reconciliation tracking report derived "missing on
-- theirs" from exceptions_seen, which also counts events of no payment and a line wrong twice (amount and fee), so they
-- showed another rate than the run's (review s8). The run now keeps the count it used. Runs recorded before this have
-- null here and are read with the old derivation (ReconciliationRepository.matchRateBps).
alter table recon_run add column missing_on_theirs integer null check (missing_on_theirs >= 0);
update runtime_access_policy set update_columns = array_append(update_columns, 'missing_on_theirs')
 where table_name = 'recon_run' and not ('missing_on_theirs' = any (update_columns));
select ledger_apply_runtime_grants();
