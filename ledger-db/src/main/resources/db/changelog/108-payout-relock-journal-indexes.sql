--liquibase formatted sql

--changeset commdesk:108-payout-relock-journal-indexes
-- The payout a relock round's PAYOUT_PAID / PAYOUT_REVERSED journal belongs to (review L-4: monthly statements listed them
-- with no payout, member, status, transfer id or UTR), found as 070 finds the first round's.
create index analytics_payout_relock_paid_journal_idx on payout (relock_paid_journal_id) where relock_paid_journal_id is not null;
create index analytics_payout_relock_reversed_journal_idx on payout (relock_reversed_journal_id)
    where relock_reversed_journal_id is not null;
