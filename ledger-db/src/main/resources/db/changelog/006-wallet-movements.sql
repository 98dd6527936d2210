--liquibase formatted sql

--changeset commdesk:006-hold-cancellation
-- A reversed payment's holds must never be released: the reversal marks them cancelled.
alter table wallet_hold add column cancelled_journal_id bigint null references journal (journal_id);
alter table wallet_hold add constraint wallet_hold_released_or_cancelled
    check (released_journal_id is null or cancelled_journal_id is null);
drop index wallet_hold_due_idx;
create index wallet_hold_due_idx on wallet_hold (release_at)
    where released_journal_id is null and cancelled_journal_id is null;

--changeset commdesk:006-journal-kinds
alter table journal drop constraint journal_kind_check;
alter table journal add constraint journal_kind_check
    check (kind in ('PAYMENT', 'REVERSAL', 'RELEASE', 'PAYOUT_LOCK', 'PAYOUT_PAID', 'PAYOUT_FAILED', 'ADJUSTMENT'));
