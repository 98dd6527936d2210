--liquibase formatted sql

--changeset commdesk:009-payment-status
-- What operators see: the last notable stage of each payment's workflow (parked, under review,
-- done), written by the workflow itself. Not money: the ledger is the record of that.
alter table payment add column status text not null default 'ACCEPTED';
alter table payment add column status_detail text null;
alter table payment add column updated_at timestamptz not null default now();
create index payment_status_idx on payment (status, updated_at);

--changeset commdesk:009-fraud
-- One row per screened payment: velocity is counted over these rows.
create table payment_screening (
    payment_id     text        primary key,
    community_id   text        not null,
    customer_id    text        null,
    amount_paise   bigint      not null check (amount_paise > 0),
    flagged        boolean     not null,
    reasons        text        not null default '',
    screened_at    timestamptz not null default now()
);
create index payment_screening_community_idx on payment_screening (community_id, screened_at);
create index payment_screening_customer_idx on payment_screening (customer_id, screened_at);

create table fraud_blocklist (
    kind        text        not null check (kind in ('CUSTOMER', 'COMMUNITY', 'ORDER')),
    value       text        not null,
    reason      text        not null,
    created_by  text        not null,
    created_at  timestamptz not null default now(),
    primary key (kind, value)
);

-- The same Cashfree payment can never be booked twice, whatever order it is claimed under.
create unique index revenue_transaction_cf_payment_idx on revenue_transaction (cashfree_payment_id)
    where cashfree_payment_id is not null;

--changeset commdesk:009-webhooks
-- Webhook deliveries by event id: Cashfree delivers at least once, often more.
create table webhook_event (
    event_id     text        primary key,
    event_type   text        not null,
    order_id     text        null,
    received_at  timestamptz not null default now(),
    payload      jsonb       not null
);
