--liquibase formatted sql

--changeset commdesk:129-member-notice-of-payout-account splitStatements:false
-- Why: an owner may set or change a member's payout account, and any change waits the community's cooling-off (124) so
-- that the member can see it and replace it; but nothing told the member (s14 left undone), so the control held only
-- for a member who polled its beneficiary. Every account that becomes a member's current one (inserted, or made current
-- again) is now a notice to that member, written by the database itself: no application path can skip it, and the
-- application's own connection may read notices but never write, change or delete one. The notice names the account
-- only by a hint (a bank account's last 4 digits and its IFSC; a UPI id's first 2 characters and its handle), who set
-- it and when it becomes payable. The API shows a member its own (GET /api/v1/me/notices).
create table member_notice (
    notice_id       bigint      generated always as identity primary key,
    created_at      timestamptz not null default now(),
    user_id         text        not null check (length(user_id) between 1 and 255),
    community_id    text        not null,
    role            text        not null,
    kind            text        not null check (kind in ('PAYOUT_ACCOUNT_SET', 'PAYOUT_ACCOUNT_CHANGED')),
    beneficiary_id  text        not null,
    account_hint    text        not null check (length(account_hint) between 1 and 300),
    set_by          text        not null,
    payable_from    timestamptz null
);
create index member_notice_user on member_notice (user_id, notice_id);
create trigger member_notice_append_only before update or delete on member_notice
    for each row execute function ledger_forbid_change();
create trigger member_notice_no_truncate before truncate on member_notice
    for each statement execute function ledger_forbid_change();

-- Runs as the schema's owner (security definer): the runtime role may not insert notices itself.
create function payout_beneficiary_notice() returns trigger language plpgsql security definer as $$
begin
    if new.superseded_at is null and (tg_op = 'INSERT' or old.superseded_at is not null) then
        insert into member_notice (user_id, community_id, role, kind, beneficiary_id, account_hint, set_by, payable_from)
        values (new.user_id, new.community_id, new.role,
                case when exists (select 1 from payout_beneficiary p
                                   where p.community_id = new.community_id and p.role = new.role and p.user_id = new.user_id
                                     and p.beneficiary_id <> new.beneficiary_id)
                     then 'PAYOUT_ACCOUNT_CHANGED' else 'PAYOUT_ACCOUNT_SET' end,
                new.beneficiary_id,
                case when new.kind = 'UPI'
                     then 'UPI ' || left(new.vpa, 2) || 'XXXX@' || split_part(new.vpa, '@', 2)
                     else 'bank account ending ' || right(new.bank_account_number, 4) || ', IFSC ' || new.bank_ifsc end,
                new.created_by, new.payable_from);
    end if;
    return null;
end $$;
do $$
begin
    execute format('alter function payout_beneficiary_notice() set search_path = %I, pg_catalog, pg_temp', current_schema());
end $$;
revoke execute on function payout_beneficiary_notice() from public;
-- After 124's before-trigger, so payable_from is the one stored.
create trigger payout_beneficiary_notice after insert or update of superseded_at on payout_beneficiary
    for each row execute function payout_beneficiary_notice();
alter table payout_beneficiary enable always trigger payout_beneficiary_notice;
alter table member_notice enable always trigger member_notice_append_only;
alter table member_notice enable always trigger member_notice_no_truncate;
insert into runtime_access_policy (table_name, access, update_columns, why) values
    ('member_notice', 'READ_ONLY', '{}', 'notices to members, written by payout_beneficiary''s own trigger (129)');
select ledger_apply_runtime_grants();
