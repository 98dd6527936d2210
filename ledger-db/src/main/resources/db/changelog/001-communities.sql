--liquibase formatted sql

--changeset commdesk:001-community
-- A community that earns revenue. Its roles and members decide how net revenue is split.
create table community (
    community_id      text        primary key
                      check (community_id ~ '^[a-z0-9][a-z0-9_-]{1,63}$'),
    name              text        not null check (length(name) between 1 and 200),
    tier              text        not null default 'STANDARD',
    -- GST state code of the supplier (e.g. 'KA'); decides CGST+SGST vs IGST.
    supplier_state    text        null check (supplier_state ~ '^[A-Z]{2}$'),
    -- Refund/chargeback window: credits stay pending this long before they become available.
    hold_days         integer     not null default 7 check (hold_days between 0 and 180),
    payout_policy     text        not null default 'DAILY'
                      check (payout_policy in ('INSTANT', 'DAILY', 'WEEKLY', 'MANUAL')),
    min_payout_paise  bigint      not null default 10000 check (min_payout_paise >= 0),
    created_at        timestamptz not null default now()
);

create table community_role (
    community_id  text    not null references community (community_id),
    role          text    not null check (length(role) between 1 and 64),
    share_bps     integer not null check (share_bps between 0 and 10000),
    split_mode    text    not null default 'EQUAL' check (split_mode in ('EQUAL', 'WEIGHTED', 'FIXED')),
    -- Listing order matters: leftover paise go to the earlier-listed role on ties.
    position      integer not null check (position >= 0),
    primary key (community_id, role),
    unique (community_id, position)
);

create table community_member (
    community_id  text    not null,
    role          text    not null,
    user_id       text    not null check (length(user_id) between 1 and 64),
    weight        bigint  not null default 1 check (weight > 0),
    fixed_paise   bigint  not null default 0 check (fixed_paise >= 0),
    position      integer not null check (position >= 0),
    primary key (community_id, role, user_id),
    unique (community_id, role, position),
    foreign key (community_id, role) references community_role (community_id, role)
);
