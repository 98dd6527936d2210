--liquibase formatted sql

--changeset commdesk:051-community-onboarding
-- Communities are onboarded through the API (docs/communities.md), no longer only seeded by SQL.
-- GSTIN: 2-digit state code, PAN (5 letters, 4 digits, 1 letter), entity number, 'Z', check character.
alter table community add column gstin text null
    check (gstin ~ '^[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][1-9A-Z]Z[0-9A-Z]$');
-- Income-tax s.194-O: TDS is 0.1 % with the payee's PAN, 5 % without (FACTS.md).
alter table community add column pan_status text not null default 'VERIFIED'
    check (pan_status in ('VERIFIED', 'MISSING'));
-- Fraud thresholds of this community; null = the platform's defaults. Velocity is relative to the
-- community's own recent volume: a window may hold max(floor, multiplier x its average window over
-- the last 7 days) payments, so a community that usually sells 50 tickets in ten minutes can sell
-- 500 on its event night without its sales being parked, while a dormant one cannot suddenly take 500.
alter table community add column fraud_max_payment_paise bigint null check (fraud_max_payment_paise > 0);
alter table community add column fraud_velocity_floor integer null check (fraud_velocity_floor between 1 and 1000000);
alter table community add column fraud_velocity_multiplier integer null check (fraud_velocity_multiplier between 1 and 1000);
-- A changed beneficiary is paid only after this many hours (account-takeover defence).
alter table community add column beneficiary_cooling_off_hours integer not null default 24
    check (beneficiary_cooling_off_hours between 0 and 720);
alter table community add column created_by text null;

-- A beneficiary that replaced another is payable only from this time (null: at once).
alter table payout_beneficiary add column payable_from timestamptz null;

-- Versioned, effective-dated split agreements: a payment is split by the version in force at its
-- payment time. Versions are never changed or removed; a change is a new version.
create table split_agreement (
    community_id    text        not null references community (community_id),
    version         integer     not null check (version >= 1),
    effective_from  timestamptz not null,
    -- [{"role":"owner","shareBps":5000,"mode":"EQUAL","members":[{"userId":"u1","weight":1,"fixedPaise":0}]}, ...]
    roles           jsonb       not null check (jsonb_typeof(roles) = 'array'),
    note            text        null check (length(note) <= 500),
    created_by      text        not null check (length(created_by) between 1 and 255),
    created_at      timestamptz not null default now(),
    primary key (community_id, version)
);
create index split_agreement_effective on split_agreement (community_id, effective_from desc, version desc);

-- Which agreement version split which payment (as revenue_transaction records the rule version).
create table payment_split_agreement (
    payment_id          text        primary key,
    community_id        text        not null,
    agreement_version   integer     not null,
    recorded_at         timestamptz not null default now(),
    foreign key (community_id, agreement_version) references split_agreement (community_id, version)
);

-- Idempotency of onboarding writes: the saved answer to (caller, key).
create table api_idempotency (
    caller           text        not null,
    idempotency_key  text        not null check (idempotency_key ~ '^[A-Za-z0-9_.:-]{1,64}$'),
    operation        text        not null,
    request_sha256   text        not null check (request_sha256 ~ '^[0-9a-f]{64}$'),
    http_status      integer     not null,
    response         text        not null,
    created_at       timestamptz not null default now(),
    primary key (caller, idempotency_key)
);

--changeset commdesk:051-community-onboarding-guards splitStatements:false
create function onboarding_forbid_change() returns trigger language plpgsql as $$
begin
    raise exception '% is append-only: % is not allowed (add a new version instead)', tg_table_name, tg_op using errcode = 'P0001';
end;
$$;
create trigger split_agreement_append_only before update or delete on split_agreement
    for each row execute function onboarding_forbid_change();
create trigger split_agreement_no_truncate before truncate on split_agreement
    for each statement execute function onboarding_forbid_change();
create trigger payment_split_agreement_append_only before update or delete on payment_split_agreement
    for each row execute function onboarding_forbid_change();

--changeset commdesk:051-demo-agreement context:demo
-- The demo community's seeded split (changeset 005) as its agreement version 1.
insert into split_agreement (community_id, version, effective_from, roles, note, created_by)
values ('demo-community', 1, '2000-01-01T00:00:00Z', '[
  {"role":"owner","shareBps":5000,"mode":"EQUAL","members":[{"userId":"u-owner","weight":1,"fixedPaise":0}]},
  {"role":"admins","shareBps":2000,"mode":"EQUAL","members":[{"userId":"u-admin1","weight":1,"fixedPaise":0},{"userId":"u-admin2","weight":1,"fixedPaise":0}]},
  {"role":"moderators","shareBps":1000,"mode":"EQUAL","members":[{"userId":"u-mod1","weight":1,"fixedPaise":0}]},
  {"role":"event_team","shareBps":2000,"mode":"EQUAL","members":[{"userId":"u-event1","weight":1,"fixedPaise":0},{"userId":"u-event2","weight":1,"fixedPaise":0},{"userId":"u-event3","weight":1,"fixedPaise":0}]}
]'::jsonb, 'seeded with the demo community', 'seed');
