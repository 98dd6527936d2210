--liquibase formatted sql

--changeset commdesk:004-payment
-- What the API accepted: one row per idempotency key, written before the workflow starts.
-- The same key with a different body is a conflict; one Cashfree order can be claimed once.
create table payment (
    payment_id         text        primary key check (payment_id ~ '^[A-Za-z0-9_.:-]{1,64}$'),
    request_sha256     text        not null check (request_sha256 ~ '^[0-9a-f]{64}$'),
    community_id       text        not null references community (community_id),
    source_type        text        not null,
    source_id          text        not null,
    cashfree_order_id  text        not null unique,
    amount_paise       bigint      not null check (amount_paise between 1 and 1000000000000),
    workflow_id        text        not null unique,
    created_at         timestamptz not null default now()
);

--changeset commdesk:004-settlement
-- Queue settlement: each member credit waits out the community's hold period.
create table wallet_hold (
    hold_id            bigint      generated always as identity primary key,
    transaction_id     uuid        not null references revenue_transaction (transaction_id),
    community_id       text        not null,
    role               text        not null,
    user_id            text        not null,
    amount_paise       bigint      not null check (amount_paise > 0),
    release_at         timestamptz not null,
    released_journal_id bigint     null references journal (journal_id),
    created_at         timestamptz not null default now(),
    unique (transaction_id, role, user_id)
);
create index wallet_hold_due_idx on wallet_hold (release_at) where released_journal_id is null;

-- Pay out: the hand-over to the payout pipeline, one instruction per member share, following
-- the community's payout policy. Transfers themselves are made by the payout pipeline.
create table payout_instruction (
    payout_instruction_id bigint      generated always as identity primary key,
    transaction_id        uuid        not null references revenue_transaction (transaction_id),
    community_id          text        not null,
    role                  text        not null,
    user_id               text        not null,
    amount_paise          bigint      not null check (amount_paise > 0),
    payout_policy         text        not null,
    eligible_at           timestamptz not null,
    status                text        not null default 'SCHEDULED'
                          check (status in ('SCHEDULED', 'CANCELLED')),
    created_at            timestamptz not null default now(),
    unique (transaction_id, role, user_id)
);
