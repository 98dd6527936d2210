--liquibase formatted sql

--changeset commdesk:002-accounts
-- Chart of accounts. System accounts are seeded below; per-community and per-member
-- accounts are created on first use. Sign convention for postings: debit > 0, credit < 0.
create table ledger_account (
    account_id    bigint      generated always as identity primary key,
    code          text        not null unique check (length(code) between 1 and 200),
    kind          text        not null check (kind in ('ASSET', 'LIABILITY', 'INCOME', 'EXPENSE')),
    purpose       text        not null,
    community_id  text        null,
    user_id       text        null,
    role          text        null,
    created_at    timestamptz not null default now()
);

insert into ledger_account (code, kind, purpose) values
    ('cashfree_clearing',            'ASSET',     'CASHFREE_CLEARING'),
    ('gst_output_payable:CGST',      'LIABILITY', 'GST_OUTPUT_PAYABLE'),
    ('gst_output_payable:SGST',      'LIABILITY', 'GST_OUTPUT_PAYABLE'),
    ('gst_output_payable:IGST',      'LIABILITY', 'GST_OUTPUT_PAYABLE'),
    ('gateway_fee_expense',          'EXPENSE',   'GATEWAY_FEE_EXPENSE'),
    ('gst_input_credit:CGST',        'ASSET',     'GST_INPUT_CREDIT'),
    ('gst_input_credit:SGST',        'ASSET',     'GST_INPUT_CREDIT'),
    ('gst_input_credit:IGST',        'ASSET',     'GST_INPUT_CREDIT'),
    ('gateway_fee_recovery',         'INCOME',    'GATEWAY_FEE_RECOVERY'),
    ('platform_fee_income',          'INCOME',    'PLATFORM_FEE_INCOME'),
    ('platform_gst_payable:CGST',    'LIABILITY', 'PLATFORM_GST_PAYABLE'),
    ('platform_gst_payable:SGST',    'LIABILITY', 'PLATFORM_GST_PAYABLE'),
    ('platform_gst_payable:IGST',    'LIABILITY', 'PLATFORM_GST_PAYABLE'),
    ('tcs_payable',                  'LIABILITY', 'TCS_PAYABLE'),
    ('tds_payable',                  'LIABILITY', 'TDS_PAYABLE'),
    ('payouts_in_flight',            'LIABILITY', 'PAYOUTS_IN_FLIGHT'),
    ('cashfree_payout_balance',      'ASSET',     'CASHFREE_PAYOUT_BALANCE');

--changeset commdesk:002-journals
create table journal (
    journal_id          bigint      generated always as identity primary key,
    idempotency_key     text        not null unique check (length(idempotency_key) between 1 and 200),
    kind                text        not null check (kind in ('PAYMENT', 'REVERSAL', 'RELEASE', 'PAYOUT', 'ADJUSTMENT')),
    -- A correction is a new journal that points at the one it reverses; at most one reversal each.
    reverses_journal_id bigint      null unique references journal (journal_id),
    community_id        text        null,
    description         text        not null default '',
    -- SHA-256 of the canonical content; the same key with other content is a conflict.
    content_sha256      text        not null check (content_sha256 ~ '^[0-9a-f]{64}$'),
    -- Postings may only be added by the transaction that created the journal.
    tx_id               bigint      not null default txid_current(),
    created_at          timestamptz not null default now(),
    check ((kind = 'REVERSAL') = (reverses_journal_id is not null))
);
create index journal_community_idx on journal (community_id, journal_id);

create table posting (
    posting_id    bigint      generated always as identity primary key,
    journal_id    bigint      not null references journal (journal_id),
    account_id    bigint      not null references ledger_account (account_id),
    amount_paise  bigint      not null check (amount_paise <> 0),
    created_at    timestamptz not null default now()
);
create index posting_journal_idx on posting (journal_id);
create index posting_account_idx on posting (account_id, posting_id);

--changeset commdesk:002-ledger-guards splitStatements:false
-- The books are append-only: no UPDATE, DELETE or TRUNCATE, whatever the application does.
create function ledger_forbid_change() returns trigger language plpgsql as $$
begin
    raise exception 'ledger table % is append-only: % is not allowed (post a reversing journal instead)',
        tg_table_name, tg_op using errcode = 'P0001';
end $$;

-- Every journal balances (sum of signed postings = 0) and has at least two postings.
-- Deferred to commit, so the postings may be inserted after the journal row.
create function ledger_check_journal_balanced() returns trigger language plpgsql as $$
declare
    total bigint;
    n     integer;
begin
    select coalesce(sum(amount_paise), 0), count(*) into total, n
      from posting where journal_id = new.journal_id;
    if n < 2 then
        raise exception 'journal % has % posting(s); a journal needs at least two', new.journal_id, n
            using errcode = 'P0002';
    end if;
    if total <> 0 then
        raise exception 'journal % does not balance: debits - credits = % paise', new.journal_id, total
            using errcode = 'P0002';
    end if;
    return null;
end $$;

-- A posting may only join a journal created in the same transaction, so a balanced,
-- committed journal can never be extended later.
create function ledger_check_posting_same_tx() returns trigger language plpgsql as $$
begin
    if not exists (select 1 from journal j
                    where j.journal_id = new.journal_id and j.tx_id = txid_current()) then
        raise exception 'posting to journal % outside the transaction that created it', new.journal_id
            using errcode = 'P0003';
    end if;
    return new;
end $$;

create trigger journal_append_only before update or delete on journal
    for each row execute function ledger_forbid_change();
create trigger journal_no_truncate before truncate on journal
    for each statement execute function ledger_forbid_change();
create trigger posting_append_only before update or delete on posting
    for each row execute function ledger_forbid_change();
create trigger posting_no_truncate before truncate on posting
    for each statement execute function ledger_forbid_change();
create trigger ledger_account_append_only before update or delete on ledger_account
    for each row execute function ledger_forbid_change();
create constraint trigger journal_must_balance after insert on journal
    deferrable initially deferred
    for each row execute function ledger_check_journal_balanced();
create trigger posting_same_tx before insert on posting
    for each row execute function ledger_check_posting_same_tx();
