--liquibase formatted sql

--changeset commdesk:134-payout-beneficiary-reactivated-by-someone splitStatements:false
-- Why (review s16, M2): 132 let the update that makes an account current again set activated_by to anything, null
-- included, and Settlements reads a null activated_by as "made current by its creator" (rows stored before 131), so a
-- connection could supersede a member's account and reactivate it with activated_by null to skip a settlement's second
-- approval. The update that makes an account current again now names who did (not null). The database still trusts that
-- name (docs/communities.md): a rewrite costs a reactivation, which gives a fresh cooling-off (124) and a member notice
-- (129), not a silent UPDATE. The rest is 132's function as it was.
create or replace function payout_beneficiary_who_and_where() returns trigger language plpgsql as $$
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
-- create or replace resets the function's settings: pinned again, as every guard is (122).
do $$
begin
    execute format('alter function payout_beneficiary_who_and_where() set search_path = %I, pg_catalog, pg_temp', current_schema());
end $$;
