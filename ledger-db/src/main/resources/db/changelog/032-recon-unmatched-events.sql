--liquibase formatted sql

--changeset commdesk:032-recon-line-event-id
-- Cashfree's recon data has events that belong to no payment (OTHER_ADJUSTMENT, FUND_SWEEP_REVERSAL, ...):
-- neither order_id nor cf_payment_id. They are kept, keyed by Cashfree's event_id (issue 16 item 6).
alter table recon_line add column event_id text null;
alter table recon_line drop constraint recon_line_check;
alter table recon_line add constraint recon_line_identified
    check (order_id is not null or cf_payment_id is not null or event_id is not null);

--changeset commdesk:032-recon-unmatched-event-kind
-- ... and each is recorded for finance as an UNMATCHED_EVENT exception (resolved by an explanation,
-- or by a manual journal: no automatic adjustment can know what it is for). Reconciliation carries on.
alter table recon_exception drop constraint recon_exception_kind_check;
alter table recon_exception add constraint recon_exception_kind_check
    check (kind in ('MISSING_ON_OUR_SIDE', 'MISSING_ON_THEIRS', 'AMOUNT_MISMATCH', 'FEE_MISMATCH', 'UNMATCHED_EVENT'));
