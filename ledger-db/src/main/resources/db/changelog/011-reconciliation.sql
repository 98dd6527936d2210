--liquibase formatted sql

--changeset commdesk:011-recon-accounts
-- Accounts that only reconciliation adjustments use (docs/reconciliation.md):
--   recon_differences     : gains and losses finance accepts on Cashfree differences (amount, write-offs)
--   unidentified_receipts : money Cashfree settled for a payment we never booked, until identified
insert into ledger_account (code, kind, purpose) values
    ('recon_differences',     'EXPENSE',   'RECON_DIFFERENCES'),
    ('unidentified_receipts', 'LIABILITY', 'UNIDENTIFIED_RECEIPTS');

--changeset commdesk:011-recon-runs
-- One row per ingestion (a period fetched from Cashfree's API, or an uploaded recon file). The key
-- makes re-running the same period or re-uploading the same file land on the same run.
create table recon_run (
    run_id          bigint      generated always as identity primary key,
    run_key         text        not null unique check (length(run_key) between 1 and 300),
    source          text        not null check (source in ('API', 'CSV')),
    period_from     timestamptz null,
    period_to       timestamptz null,
    lines_seen      integer     not null default 0,
    payment_lines   integer     not null default 0,
    matched         integer     not null default 0,
    exceptions_seen integer     not null default 0,
    runs            integer     not null default 1,
    created_at      timestamptz not null default now(),
    last_run_at     timestamptz not null default now(),
    check ((period_from is null) = (period_to is null)),
    check (period_from is null or period_from < period_to)
);

-- Cashfree's side, one row per settlement event, whatever source brought it. The line key
-- (settlement, event type, payment or order) makes ingestion idempotent.
create table recon_line (
    line_id                 bigint      generated always as identity primary key,
    line_key                text        not null unique,
    first_run_id            bigint      not null references recon_run (run_id),
    source                  text        not null check (source in ('API', 'CSV')),
    cf_settlement_id        text        not null,
    settlement_utr          text        null,
    event_type              text        not null,
    order_id                text        null,
    cf_payment_id           text        null,
    amount_paise            bigint      not null,
    service_charge_paise    bigint      not null,
    service_tax_paise       bigint      not null,
    settlement_amount_paise bigint      not null,
    event_time              timestamptz null,
    created_at              timestamptz not null default now(),
    check (order_id is not null or cf_payment_id is not null)
);
create index recon_line_order_idx on recon_line (order_id);
create index recon_line_payment_idx on recon_line (cf_payment_id);

--changeset commdesk:011-recon-exceptions splitStatements:false
-- Every difference found, once: the exception key (kind + what it is about) is unique, so
-- re-running a period or re-uploading a file never duplicates one. Only the resolution columns
-- may change, once, from OPEN (trigger below); recon_exception_audit keeps who did what and why.
create table recon_exception (
    exception_id           bigint      generated always as identity primary key,
    exception_key          text        not null unique,
    kind                   text        not null check (kind in ('MISSING_ON_OUR_SIDE', 'MISSING_ON_THEIRS', 'AMOUNT_MISMATCH', 'FEE_MISMATCH')),
    status                 text        not null default 'OPEN' check (status in ('OPEN', 'ADJUSTED', 'EXPLAINED')),
    first_run_id           bigint      not null references recon_run (run_id),
    order_id               text        null,
    cf_payment_id          text        null,
    cf_settlement_id       text        null,
    settlement_utr         text        null,
    transaction_id         uuid        null references revenue_transaction (transaction_id),
    community_id           text        null,
    payment_journal_id     bigint      null references journal (journal_id),
    rule_id                text        null,
    rule_version           integer     null,
    schedule_name          text        null,
    -- Our numbers (null when we have no transaction) and theirs (null when Cashfree has no line).
    our_amount_paise       bigint      null,
    our_fee_paise          bigint      null,
    our_fee_gst_paise      bigint      null,
    their_amount_paise     bigint      null,
    their_fee_paise        bigint      null,
    their_fee_tax_paise    bigint      null,
    their_settlement_paise bigint      null,
    detected_at            timestamptz not null default now(),
    resolved_by            text        null,
    resolved_at            timestamptz null,
    resolution_note        text        null,
    adjustment_journal_id  bigint      null unique references journal (journal_id),
    check ((status = 'OPEN') = (resolved_at is null)),
    check ((status = 'OPEN') = (resolved_by is null)),
    check ((status = 'ADJUSTED') = (adjustment_journal_id is not null))
);
create index recon_exception_open_idx on recon_exception (kind, exception_id) where status = 'OPEN';
create index recon_exception_order_idx on recon_exception (order_id);

create function recon_exception_resolve_once() returns trigger language plpgsql as $$
begin
    if old.status <> 'OPEN' then
        raise exception 'reconciliation exception % is already %', old.exception_id, old.status using errcode = 'P0001';
    end if;
    if (new.exception_key, new.kind, new.first_run_id, new.order_id, new.cf_payment_id, new.cf_settlement_id,
        new.transaction_id, new.our_amount_paise, new.our_fee_paise, new.our_fee_gst_paise, new.their_amount_paise,
        new.their_fee_paise, new.their_fee_tax_paise, new.their_settlement_paise, new.detected_at)
       is distinct from
       (old.exception_key, old.kind, old.first_run_id, old.order_id, old.cf_payment_id, old.cf_settlement_id,
        old.transaction_id, old.our_amount_paise, old.our_fee_paise, old.our_fee_gst_paise, old.their_amount_paise,
        old.their_fee_paise, old.their_fee_tax_paise, old.their_settlement_paise, old.detected_at) then
        raise exception 'reconciliation exception %: only its resolution may change', old.exception_id using errcode = 'P0001';
    end if;
    return new;
end $$;

create trigger recon_exception_resolve_once before update on recon_exception
    for each row execute function recon_exception_resolve_once();
create trigger recon_exception_no_delete before delete on recon_exception
    for each row execute function ledger_forbid_change();
create trigger recon_exception_no_truncate before truncate on recon_exception
    for each statement execute function ledger_forbid_change();

create table recon_exception_audit (
    audit_id      bigint      generated always as identity primary key,
    exception_id  bigint      not null references recon_exception (exception_id),
    action        text        not null check (action in ('ADJUSTED', 'EXPLAINED')),
    actor         text        not null check (length(actor) between 1 and 64),
    note          text        not null check (length(note) between 1 and 2000),
    journal_id    bigint      null references journal (journal_id),
    created_at    timestamptz not null default now()
);
create index recon_exception_audit_idx on recon_exception_audit (exception_id);
create trigger recon_exception_audit_append_only before update or delete on recon_exception_audit
    for each row execute function ledger_forbid_change();
create trigger recon_exception_audit_no_truncate before truncate on recon_exception_audit
    for each statement execute function ledger_forbid_change();
create trigger recon_line_append_only before update or delete on recon_line
    for each row execute function ledger_forbid_change();
