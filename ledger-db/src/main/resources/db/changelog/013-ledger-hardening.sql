--liquibase formatted sql

--changeset commdesk:013-journal-tx-forced splitStatements:false
-- tx_id was only a DEFAULT: an explicit value could defeat the same-transaction posting guard.
create function ledger_force_journal_tx() returns trigger language plpgsql as $$
begin
    new.tx_id := txid_current();
    return new;
end $$;
create trigger journal_force_tx before insert on journal
    for each row execute function ledger_force_journal_tx();

--changeset commdesk:013-refund-guards
create trigger refund_no_truncate before truncate on refund
    for each statement execute function ledger_forbid_change();
-- Each refund's share of every part of the original payment, so the next refund of the same
-- payment is split over what is still unrefunded (and a full refund lands exactly on the originals).
alter table refund add column part_gst_paise bigint null check (part_gst_paise >= 0);
alter table refund add column part_gateway_paise bigint null check (part_gateway_paise >= 0);
alter table refund add column part_platform_paise bigint null check (part_platform_paise >= 0);
alter table refund add column part_tcs_paise bigint null check (part_tcs_paise >= 0);
alter table refund add column part_tds_paise bigint null check (part_tds_paise >= 0);
alter table refund add column part_net_paise bigint null check (part_net_paise >= 0);

--changeset commdesk:013-blocked-holds
-- A hold that cannot be released is set aside with the reason (and reported by the invariant
-- checker) instead of blocking every release behind it.
alter table wallet_hold add column blocked_reason text null;
drop index wallet_hold_due_idx;
create index wallet_hold_due_idx on wallet_hold (release_at)
    where released_journal_id is null and cancelled_journal_id is null and blocked_reason is null;
