--liquibase formatted sql

--changeset commdesk:031-payout-needs-attention
-- Payouts fail closed (issue 10 item 5, issue 16): a transfer whose outcome Cashfree has not
-- definitively told us stays locked; after a bounded time it is NEEDS_ATTENTION for finance, who
-- resolve it ("confirm paid", or "confirm failed" by two different people, since it releases money).
alter table payout drop constraint payout_status_check;
alter table payout add constraint payout_status_check
    check (status in ('CREATED', 'PENDING_APPROVAL', 'APPROVED', 'SENT', 'NEEDS_ATTENTION', 'PAID', 'FAILED', 'REJECTED', 'REVERSED'));
alter table payout add column attention_since timestamptz null;
alter table payout add column resolution_outcome text null check (resolution_outcome in ('PAID', 'FAILED'));
alter table payout add column resolution_requested_by text null;
alter table payout add column resolution_confirmed_by text null;
-- four eyes where money is released: whoever asks for "confirm failed" can never be the one who confirms it
alter table payout add constraint payout_resolution_four_eyes
    check (resolution_confirmed_by is null or lower(resolution_confirmed_by) <> lower(resolution_requested_by));

--changeset commdesk:031-beneficiary-cashfree-rules
-- Cashfree accepts letters and spaces only in beneficiary_name (at most 100); names are normalised or
-- refused when they are saved. Rows saved before this change are not checked here (NOT VALID): the
-- payout activity normalises them before registration or refuses the payout before any transfer.
alter table payout_beneficiary add constraint payout_beneficiary_cashfree_name
    check (name ~ '^[A-Za-z ]{1,100}$') not valid;
-- The id Cashfree knows this account by: ours, or an existing beneficiary for the same bank account
-- + IFSC (Cashfree answers 409 beneficiary_already_exists to a second id for one account).
alter table payout_beneficiary add column cashfree_beneficiary_id text null
    check (cashfree_beneficiary_id ~ '^[A-Za-z0-9_|.-]{1,50}$');
