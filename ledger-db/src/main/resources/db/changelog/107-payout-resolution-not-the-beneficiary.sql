--liquibase formatted sql

--changeset commdesk:107-payout-resolution-not-the-beneficiary splitStatements:false
-- Four eyes on finance's resolution of a NEEDS_ATTENTION payout (review M-4), enforced here as 031's requester <> confirmer
-- is: the payout's recipient never takes part in resolving it (a FAILED returns money Cashfree may have paid to them; a PAID
-- keeps money with them). (The settlement's requester is kept out of a FAILED by the API, POST .../resolve.)
-- A trigger, not a check: it judges only a resolution being written, so a legacy row resolved before this rule still moves
-- to its final status (a NOT VALID check would refuse every later update of such a row).
create function payout_resolution_four_eyes() returns trigger language plpgsql as $$
begin
    if lower(new.resolution_requested_by) = lower(new.user_id) or lower(new.resolution_confirmed_by) = lower(new.user_id) then
        raise exception 'four eyes: payout % is to %, who may not resolve it', new.payout_id, new.user_id
            using errcode = 'check_violation';
    end if;
    return new;
end $$;
do $$
begin
    execute format('alter function payout_resolution_four_eyes() set search_path = %I, pg_catalog, pg_temp', current_schema());
end $$;
create trigger payout_resolution_four_eyes before update of resolution_outcome, resolution_requested_by, resolution_confirmed_by
    on payout for each row
    when (new.resolution_outcome is distinct from old.resolution_outcome
          or new.resolution_requested_by is distinct from old.resolution_requested_by
          or new.resolution_confirmed_by is distinct from old.resolution_confirmed_by)
    execute function payout_resolution_four_eyes();
