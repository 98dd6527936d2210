--liquibase formatted sql

--changeset commdesk:131-payout-beneficiary-activated-by splitStatements:false
-- Why (review of 129, M2): details used before made current again keep their first created_by, so the notice of a
-- member's account made current again by its owner said "by you". Who made a beneficiary current is now its own column,
-- written on insert and on reactivation (Beneficiaries.saveBeneficiary), and the notice names it (null on rows stored
-- before this: their created_by made them current).
alter table payout_beneficiary add column activated_by text null check (activated_by is null or length(activated_by) between 1 and 255);
update runtime_access_policy set update_columns = array_append(update_columns, 'activated_by')
 where table_name = 'payout_beneficiary' and not ('activated_by' = any(update_columns));
create or replace function payout_beneficiary_notice() returns trigger language plpgsql security definer as $$
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
                coalesce(new.activated_by, new.created_by), new.payable_from);
    end if;
    return null;
end $$;
-- create or replace resets the function's settings: pinned again, as every guard is (122).
do $$
begin
    execute format('alter function payout_beneficiary_notice() set search_path = %I, pg_catalog, pg_temp', current_schema());
end $$;
revoke execute on function payout_beneficiary_notice() from public;
select ledger_apply_runtime_grants();

--changeset commdesk:131-member-notice-of-accounts-stored-before splitStatements:false
-- Why (review of 129, M1): accounts already current when 129 came had no notice, so a member whose owner set its account
-- just before the deploy was never told, and its page said it had none. One notice each, as 129's trigger writes them.
insert into member_notice (user_id, community_id, role, kind, beneficiary_id, account_hint, set_by, payable_from)
select b.user_id, b.community_id, b.role,
       case when exists (select 1 from payout_beneficiary p
                          where p.community_id = b.community_id and p.role = b.role and p.user_id = b.user_id
                            and p.beneficiary_id <> b.beneficiary_id)
            then 'PAYOUT_ACCOUNT_CHANGED' else 'PAYOUT_ACCOUNT_SET' end,
       b.beneficiary_id,
       case when b.kind = 'UPI'
            then 'UPI ' || left(b.vpa, 2) || 'XXXX@' || split_part(b.vpa, '@', 2)
            else 'bank account ending ' || right(b.bank_account_number, 4) || ', IFSC ' || b.bank_ifsc end,
       coalesce(b.activated_by, b.created_by), b.payable_from
  from payout_beneficiary b
 where b.superseded_at is null
   and not exists (select 1 from member_notice n where n.beneficiary_id = b.beneficiary_id)
 order by b.created_at, b.beneficiary_id;
