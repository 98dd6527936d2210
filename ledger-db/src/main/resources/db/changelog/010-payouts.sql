--liquibase formatted sql

--changeset commdesk:010-payout-reversed-journal splitStatements:false
-- A transfer Cashfree reports SUCCESS and later REVERSED (the bank sent the money back): the
-- PAYOUT_PAID journal is undone by a PAYOUT_REVERSED journal (cashfree_payout_balance -> member
-- locked), then the usual PAYOUT_FAILED journal returns the money to available (docs/payouts.md).
-- Adds the kind to whatever the constraint allows now (other parts add theirs the same way).
do $$
declare
    def text;
begin
    select pg_get_constraintdef(oid) into def from pg_constraint where conname = 'journal_kind_check';
    if def is null or position('''PAYOUT_REVERSED''' in def) > 0 then
        return;
    end if;
    execute 'alter table journal drop constraint journal_kind_check';
    execute 'alter table journal add constraint journal_kind_check '
            || replace(def, 'ARRAY[', 'ARRAY[''PAYOUT_REVERSED''::text, ');
end $$;

--changeset commdesk:010-beneficiary
-- Where a member's money goes: a bank account + IFSC, or a UPI VPA. beneficiary_id is ours, derived
-- from the member and the details, and registered with Cashfree Payouts idempotently before the
-- first transfer. New details make a new row (Cashfree beneficiaries are not edited); the old one is
-- superseded but kept, since past payouts name it.
create table payout_beneficiary (
    beneficiary_id       text        primary key check (beneficiary_id ~ '^[A-Za-z0-9_|-]{1,50}$'),
    community_id         text        not null,
    role                 text        not null,
    user_id              text        not null,
    name                 text        not null check (length(name) between 1 and 100),
    kind                 text        not null check (kind in ('BANK', 'UPI')),
    bank_account_number  text        null check (bank_account_number ~ '^[0-9]{9,18}$'),
    bank_ifsc            text        null check (bank_ifsc ~ '^[A-Z]{4}0[A-Z0-9]{6}$'),
    vpa                  text        null check (vpa ~ '^[A-Za-z0-9._-]{2,256}@[A-Za-z][A-Za-z0-9]{1,63}$'),
    registered_at        timestamptz null,
    superseded_at        timestamptz null,
    created_by           text        not null,
    created_at           timestamptz not null default now(),
    check ((kind = 'BANK' and bank_account_number is not null and bank_ifsc is not null and vpa is null)
        or (kind = 'UPI' and vpa is not null and bank_account_number is null and bank_ifsc is null))
);
create unique index payout_beneficiary_current on payout_beneficiary (community_id, role, user_id) where superseded_at is null;

--changeset commdesk:010-payout-flag
-- Finance flags a recipient for investigation: their payouts need approval until the flag is cleared.
create table payout_flag (
    community_id  text        not null,
    role          text        not null,
    user_id       text        not null,
    reason        text        not null check (length(reason) between 1 and 500),
    flagged_by    text        not null,
    flagged_at    timestamptz not null default now(),
    cleared_by    text        null,
    cleared_at    timestamptz null
);
create unique index payout_flag_open on payout_flag (community_id, role, user_id) where cleared_at is null;

--changeset commdesk:010-settlement
-- One settlement per community per cycle (id derived from the cut-off), turning available balances
-- into payouts. Status as in seed 002: PENDING, APPROVED, PAID, FAILED, REVERSED.
create table settlement (
    settlement_id   text        primary key check (settlement_id ~ '^[A-Za-z0-9_.:-]{1,100}$'),
    community_id    text        not null references community (community_id),
    cycle           text        not null check (cycle in ('INSTANT', 'DAILY', 'WEEKLY', 'MANUAL')),
    cut_off         timestamptz not null,
    requested_by    text        not null,
    status          text        not null default 'PENDING'
                    check (status in ('PENDING', 'APPROVED', 'PAID', 'FAILED', 'REVERSED')),
    payout_count    integer     not null default 0 check (payout_count >= 0),
    total_paise     bigint      not null default 0 check (total_paise >= 0),
    paid_paise      bigint      not null default 0 check (paid_paise >= 0),
    skipped_no_beneficiary integer not null default 0,
    created_at      timestamptz not null default now(),
    completed_at    timestamptz null
);

--changeset commdesk:010-payout
-- One payout per member per settlement; payout_id is also the workflow id and Cashfree's transfer_id.
create table payout (
    payout_id          text        primary key check (payout_id ~ '^[A-Za-z0-9_]{1,40}$'),
    settlement_id      text        not null references settlement (settlement_id),
    community_id       text        not null,
    role               text        not null,
    user_id            text        not null,
    beneficiary_id     text        not null references payout_beneficiary (beneficiary_id),
    amount_paise       bigint      not null check (amount_paise > 0),
    requested_by       text        not null,
    status             text        not null default 'CREATED'
                       check (status in ('CREATED', 'PENDING_APPROVAL', 'APPROVED', 'SENT', 'PAID', 'FAILED',
                                         'REJECTED', 'REVERSED')),
    needs_approval     boolean     not null,
    flagged_reason     text        null,
    decided_by         text        null,
    -- four eyes: whoever requested the payout can never be the one who approves it
    check (decided_by is null or decided_by <> requested_by),
    transfer_requested_at timestamptz null,
    cf_transfer_id     text        null,
    cashfree_status    text        null,
    cashfree_status_code text      null,
    reason             text        null,
    lock_journal_id    bigint      null references journal (journal_id),
    paid_journal_id    bigint      null references journal (journal_id),
    failed_journal_id  bigint      null references journal (journal_id),
    reversed_journal_id bigint     null references journal (journal_id),
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now(),
    paid_at            timestamptz null,
    unique (settlement_id, community_id, role, user_id)
);
create index payout_status_idx on payout (status, community_id);

-- Append-only trail of every status change, decision and webhook of a payout.
create table payout_event (
    payout_event_id  bigint      generated always as identity primary key,
    payout_id        text        not null references payout (payout_id),
    status           text        not null,
    actor            text        null,
    detail           text        null,
    created_at       timestamptz not null default now()
);
create index payout_event_payout_idx on payout_event (payout_id, payout_event_id);
create trigger payout_event_append_only before update or delete on payout_event
    for each row execute function ledger_forbid_change();
