--liquibase formatted sql

--changeset commdesk:118-payout-failed-journal-index
-- Wallet history and monthly statements tell a relock hold's return from a bank's failure by finding the payout whose
-- PAYOUT_FAILED journal it is (PayoutAnalytics.heldForFinanceRelease): without an index each such line scanned the whole
-- payout table (review of the PayoutRepository split). Found as 070 and 108 find the other rounds' journals.
create index analytics_payout_failed_journal_idx on payout (failed_journal_id) where failed_journal_id is not null;
