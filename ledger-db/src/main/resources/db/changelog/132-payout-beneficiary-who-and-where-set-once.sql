--liquibase formatted sql

--changeset commdesk:132-payout-beneficiary-who-and-where-set-once splitStatements:false
-- Why (left undone in s15): the runtime role keeps UPDATE on activated_by (131) and cashfree_beneficiary_id (019), so the
-- application's own connection could rewrite them at will. activated_by decides whether a settlement of the account needs
-- a second person's approval (Settlements: approval unless its member created and made it current), and
-- cashfree_beneficiary_id is the beneficiary Cashfree's transfers name: rewritten, a member's payouts go to another
-- account. The database now holds both to what the application does (Beneficiaries.saveBeneficiary, markRegistered,
-- markUnregistered):
-- - activated_by is written on insert (equal to created_by, or null as on rows stored before 131) and only in the update
--   that makes the account current again, which must name someone (review s16, M2: Settlements reads a null as "made
--   current by its creator", so a reactivation with a null would skip a settlement's second approval). Who is named is
--   the application's word; a rewrite costs a reactivation, with a fresh cooling-off (124) and a member notice (129);
-- - cashfree_beneficiary_id is null until registered, is set once per registration and never from one id to another,
--   and is cleared only with its registration (registered_at: Cashfree no longer knows it). What it is set to is not
--   checked here: for an account Cashfree already has (409 beneficiary_already_exists) it is the id Cashfree answers,
--   which may be one none of ours carries (issue 16 item 3), and the database cannot ask Cashfree. So a connection that
--   clears a registration and registers again can still name another beneficiary: two writes, not one (docs/security.md).
create function payout_beneficiary_who_and_where() returns trigger language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        if new.activated_by is distinct from new.created_by and new.activated_by is not null then
            raise exception 'activated_by of beneficiary % is its created_by (%) when it is stored', new.beneficiary_id, new.created_by
                using errcode = 'check_violation';
        end if;
    elsif old.superseded_at is not null and new.superseded_at is null then
        if new.activated_by is null then
            raise exception 'activated_by of beneficiary % names who makes it current again', new.beneficiary_id
                using errcode = 'check_violation';
        end if;
    elsif new.activated_by is distinct from old.activated_by then
        raise exception 'activated_by of beneficiary % is written only in the update that makes it current again', new.beneficiary_id
            using errcode = 'check_violation';
    end if;
    if new.cashfree_beneficiary_id is not distinct from (case when tg_op = 'UPDATE' then old.cashfree_beneficiary_id end) then
        return new;
    end if;
    if new.cashfree_beneficiary_id is null then
        if new.registered_at is not null then
            raise exception 'cashfree_beneficiary_id of beneficiary % is cleared only with its registration (registered_at)', new.beneficiary_id
                using errcode = 'check_violation';
        end if;
    elsif tg_op = 'UPDATE' and old.cashfree_beneficiary_id is not null then
        raise exception 'cashfree_beneficiary_id of beneficiary % is %, never another (%)', new.beneficiary_id,
            old.cashfree_beneficiary_id, new.cashfree_beneficiary_id using errcode = 'check_violation';
    elsif new.registered_at is null then
        raise exception 'cashfree_beneficiary_id of beneficiary % is set with its registration (registered_at)', new.beneficiary_id
            using errcode = 'check_violation';
    end if;
    return new;
end $$;
do $$
begin
    execute format('alter function payout_beneficiary_who_and_where() set search_path = %I, pg_catalog, pg_temp', current_schema());
end $$;
create trigger payout_beneficiary_who_and_where before insert or update on payout_beneficiary
    for each row execute function payout_beneficiary_who_and_where();
alter table payout_beneficiary enable always trigger payout_beneficiary_who_and_where;
