--liquibase formatted sql

--changeset commdesk:124-beneficiary-cooling-off-unless-its-member splitStatements:false
-- Why: a community's owner may set its members' beneficiaries, and a member's first beneficiary was payable at once
-- whoever set it, so an owner could have a member's next payout sent to an account of the owner's choosing before the
-- member could know (review s13, HIGH). Only the member itself (created_by = user_id, the token's subject, compared
-- exactly as the API's access check compares them) makes its first beneficiary payable at once; a beneficiary set by
-- anyone else, and any later one (a change, or details used before made current again), is payable only from now + the
-- community's cooling-off. Beneficiaries.saveBeneficiary applies the same rule; this holds the application's own
-- connection to it, and never lets payable_from be cleared or moved earlier. Rows already stored are not judged again.
create function payout_beneficiary_cooling_off() returns trigger language plpgsql as $$
declare
    cooling interval;
begin
    if tg_op = 'UPDATE' and new.payable_from is distinct from old.payable_from
       and old.payable_from is not null and (new.payable_from is null or new.payable_from < old.payable_from) then
        raise exception 'cooling-off: beneficiary % is payable only from %, never earlier', new.beneficiary_id, old.payable_from
            using errcode = 'check_violation';
    end if;
    if new.superseded_at is null and (tg_op = 'INSERT' or old.superseded_at is not null)
       and (new.created_by is distinct from new.user_id
            or exists (select 1 from payout_beneficiary p
                        where p.community_id = new.community_id and p.role = new.role and p.user_id = new.user_id
                          and p.beneficiary_id <> new.beneficiary_id)) then
        select make_interval(hours => c.beneficiary_cooling_off_hours) into cooling
          from community c where c.community_id = new.community_id;
        -- greatest() skips a null payable_from; a community unknown here gets the default 24 hours, not none.
        new.payable_from := greatest(new.payable_from, now() + coalesce(cooling, interval '24 hours'));
    end if;
    return new;
end $$;
do $$
begin
    execute format('alter function payout_beneficiary_cooling_off() set search_path = %I, pg_catalog, pg_temp', current_schema());
end $$;
create trigger payout_beneficiary_cooling_off before insert or update of payable_from, superseded_at
    on payout_beneficiary for each row execute function payout_beneficiary_cooling_off();
