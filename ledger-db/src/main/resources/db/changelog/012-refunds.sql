--liquibase formatted sql

--changeset commdesk:012-refund-journal-kind splitStatements:false
-- Adds REFUND to whatever journal kinds the constraint allows at this point (other parts add
-- their own kinds; rewriting the list here would silently drop theirs).
do $$
declare
    def text;
begin
    select pg_get_constraintdef(oid) into def from pg_constraint where conname = 'journal_kind_check';
    if def is null or position('''REFUND''' in def) > 0 then
        return;
    end if;
    execute 'alter table journal drop constraint journal_kind_check';
    execute 'alter table journal add constraint journal_kind_check '
            || replace(def, 'ARRAY[', 'ARRAY[''REFUND''::text, ');
end $$;

--changeset commdesk:012-receivables
-- What a member owes back when a refund or chargeback needs more than their pending and available
-- money (they were already paid out). Recovered from their next earnings before those become available.
alter table member_wallet add column receivable_paise bigint not null default 0 check (receivable_paise >= 0);

--changeset commdesk:012-refunds
create table refund (
    refund_id            text        primary key check (refund_id ~ '^[A-Za-z0-9_.:-]{1,64}$'),
    transaction_id       uuid        not null references revenue_transaction (transaction_id),
    kind                 text        not null check (kind in ('REFUND', 'CHARGEBACK')),
    amount_paise         bigint      not null check (amount_paise > 0),
    reason               text        not null,
    gateway_fee_policy   text        not null check (gateway_fee_policy in ('BORNE_BY_COMMUNITY', 'BORNE_BY_PLATFORM')),
    platform_fee_policy  text        not null check (platform_fee_policy in ('REFUNDED', 'KEPT')),
    journal_id           bigint      not null unique references journal (journal_id),
    from_pending_paise   bigint      not null check (from_pending_paise >= 0),
    from_available_paise bigint      not null check (from_available_paise >= 0),
    to_receivable_paise  bigint      not null check (to_receivable_paise >= 0),
    created_at           timestamptz not null default now()
);
create index refund_transaction_idx on refund (transaction_id);
create trigger refund_append_only before update or delete on refund
    for each row execute function ledger_forbid_change();
