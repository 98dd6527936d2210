--liquibase formatted sql

--changeset commdesk:003-revenue-transaction
-- The spec's RevenueTransaction with exact types: bigint paise (the spec's Int overflows at
-- 2.1 crore rupees), basis points instead of Float, timestamptz, jsonb. One row per posted payment,
-- written in the same transaction as its journal.
create table revenue_transaction (
    transaction_id            uuid        primary key,
    community_id              text        not null references community (community_id),
    source_type               text        not null check (source_type ~ '^[A-Z][A-Z0-9_]{1,31}$'),
    source_id                 text        not null,
    cashfree_order_id         text        not null,
    cashfree_payment_id       text        null,
    payment_method            text        not null,
    gross_amount_paise        bigint      not null check (gross_amount_paise > 0),
    gst_amount_paise          bigint      not null check (gst_amount_paise >= 0),
    gst_cgst_paise            bigint      not null check (gst_cgst_paise >= 0),
    gst_sgst_paise            bigint      not null check (gst_sgst_paise >= 0),
    gst_igst_paise            bigint      not null check (gst_igst_paise >= 0),
    payment_gateway_fee_paise bigint      not null check (payment_gateway_fee_paise >= 0),
    payment_gateway_gst_paise bigint      not null check (payment_gateway_gst_paise >= 0),
    platform_fee_paise        bigint      not null check (platform_fee_paise >= 0),
    platform_fee_gst_paise    bigint      not null check (platform_fee_gst_paise >= 0),
    platform_fee_gst_mode     text        not null check (platform_fee_gst_mode in ('INCLUDED', 'ON_TOP')),
    tcs_paise                 bigint      not null check (tcs_paise >= 0),
    tds_paise                 bigint      not null check (tds_paise >= 0),
    net_revenue_paise         bigint      not null check (net_revenue_paise >= 0),
    schedule_name             text        not null,
    rule_id                   text        null,
    rule_version              integer     null,
    metadata                  jsonb       not null default '{}'::jsonb,
    idempotency_key           text        not null unique,
    journal_id                bigint      not null unique references journal (journal_id),
    created_at                timestamptz not null default now(),
    check (gst_cgst_paise + gst_sgst_paise + gst_igst_paise = gst_amount_paise),
    -- The waterfall must add up, whatever the application computed.
    check (gross_amount_paise = gst_amount_paise + payment_gateway_fee_paise + payment_gateway_gst_paise
           + platform_fee_paise + case when platform_fee_gst_mode = 'ON_TOP' then platform_fee_gst_paise else 0 end
           + tcs_paise + tds_paise + net_revenue_paise)
);
create index revenue_transaction_community_idx on revenue_transaction (community_id, created_at);
create index revenue_transaction_created_idx on revenue_transaction (created_at);
create unique index revenue_transaction_cf_order_idx on revenue_transaction (cashfree_order_id);

-- The spec's RevenueDistribution: one row per member share.
create table revenue_distribution (
    distribution_id  uuid        primary key,
    transaction_id   uuid        not null references revenue_transaction (transaction_id),
    community_id     text        not null,
    user_id          text        not null,
    role_id          text        not null,
    role_name        text        not null,
    share_bps        integer     not null check (share_bps between 0 and 10000),
    amount_paise     bigint      not null check (amount_paise >= 0),
    created_at       timestamptz not null default now(),
    unique (transaction_id, role_id, user_id)
);
create index revenue_distribution_tx_idx on revenue_distribution (transaction_id);
create index revenue_distribution_user_idx on revenue_distribution (user_id);

-- The spec's PlatformRevenue.
create table platform_revenue (
    platform_revenue_id  uuid        primary key,
    transaction_id       uuid        not null unique references revenue_transaction (transaction_id),
    amount_paise         bigint      not null check (amount_paise >= 0),
    gst_amount_paise     bigint      not null check (gst_amount_paise >= 0),
    fee_bps              integer     not null check (fee_bps between 0 and 10000),
    created_at           timestamptz not null default now()
);

--changeset commdesk:003-revenue-guards
create trigger revenue_transaction_append_only before update or delete on revenue_transaction
    for each row execute function ledger_forbid_change();
create trigger revenue_transaction_no_truncate before truncate on revenue_transaction
    for each statement execute function ledger_forbid_change();
create trigger revenue_distribution_append_only before update or delete on revenue_distribution
    for each row execute function ledger_forbid_change();
create trigger revenue_distribution_no_truncate before truncate on revenue_distribution
    for each statement execute function ledger_forbid_change();
create trigger platform_revenue_append_only before update or delete on platform_revenue
    for each row execute function ledger_forbid_change();
create trigger platform_revenue_no_truncate before truncate on platform_revenue
    for each statement execute function ledger_forbid_change();

--changeset commdesk:003-wallets
-- Wallets are projections of the postings, updated in the same transaction and checked
-- against them by the invariant checker. Balances can never go negative.
create table community_wallet (
    community_id                 text        primary key references community (community_id),
    available_balance_paise      bigint      not null default 0 check (available_balance_paise >= 0),
    locked_balance_paise         bigint      not null default 0 check (locked_balance_paise >= 0),
    pending_settlement_paise     bigint      not null default 0 check (pending_settlement_paise >= 0),
    total_gross_revenue_paise    bigint      not null default 0 check (total_gross_revenue_paise >= 0),
    total_platform_fees_paise    bigint      not null default 0 check (total_platform_fees_paise >= 0),
    total_gateway_fees_paise     bigint      not null default 0 check (total_gateway_fees_paise >= 0),
    total_gst_collected_paise    bigint      not null default 0 check (total_gst_collected_paise >= 0),
    total_net_revenue_paise      bigint      not null default 0 check (total_net_revenue_paise >= 0),
    total_withdrawn_paise        bigint      not null default 0 check (total_withdrawn_paise >= 0),
    created_at                   timestamptz not null default now(),
    updated_at                   timestamptz not null default now()
);

create table member_wallet (
    community_id     text        not null references community (community_id),
    role             text        not null,
    user_id          text        not null,
    pending_paise    bigint      not null default 0 check (pending_paise >= 0),
    available_paise  bigint      not null default 0 check (available_paise >= 0),
    locked_paise     bigint      not null default 0 check (locked_paise >= 0),
    paid_out_paise   bigint      not null default 0 check (paid_out_paise >= 0),
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now(),
    primary key (community_id, role, user_id)
);
