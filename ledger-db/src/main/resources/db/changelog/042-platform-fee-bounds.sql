--liquibase formatted sql

--changeset commdesk:042-platform-fee-bounds
-- The platform's policy on platform fees (docs/rules.md, "Platform-wide fee bounds"): one row, changed
-- only through FeeBoundsRepository (the admin API), each change audited with the bounds before and after.
-- Every rule save and every quote is checked against it; a change that would leave an active rule
-- outside is refused. Starts at the seed's 5-20 % with no fixed part.
create table platform_fee_bounds (
    singleton                boolean     primary key default true check (singleton),
    min_platform_fee_bps     integer     not null check (min_platform_fee_bps between 0 and 10000),
    max_platform_fee_bps     integer     not null check (max_platform_fee_bps between 0 and 10000),
    max_platform_fixed_paise bigint      not null check (max_platform_fixed_paise between 0 and 1000000000000),
    revision                 bigint      not null check (revision >= 1),
    updated_by               text        not null check (length(updated_by) between 1 and 128),
    updated_at               timestamptz not null default now(),
    check (min_platform_fee_bps <= max_platform_fee_bps)
);
insert into platform_fee_bounds (min_platform_fee_bps, max_platform_fee_bps, max_platform_fixed_paise, revision, updated_by)
values (500, 2000, 0, 1, 'changelog:042');

-- Who changed the bounds, when, from what to what. Append-only.
create table platform_fee_bounds_audit (
    audit_id    bigint      generated always as identity primary key,
    revision    bigint      not null unique check (revision >= 2),
    actor       text        not null check (length(actor) between 1 and 128),
    changed_at  timestamptz not null default now(),
    before      jsonb       not null check (jsonb_typeof(before) = 'object'),
    after       jsonb       not null check (jsonb_typeof(after) = 'object')
);

--changeset commdesk:042-platform-fee-bounds-guards splitStatements:false
-- The row can change but never disappear, and only together with its audit row: a new revision
-- (old + 1) whose audit entry, written first in the same transaction, names the same actor and the
-- new values. So even the application's own connection cannot change the bounds unaudited. The audit
-- trail never changes.
create function platform_fee_bounds_audited() returns trigger language plpgsql as $$
begin
    if new.singleton is distinct from old.singleton or new.revision is distinct from old.revision + 1 or not exists (
            select 1 from platform_fee_bounds_audit a
             where a.revision = new.revision and a.actor = new.updated_by
               and a.after = jsonb_build_object('minPlatformFeeBps', new.min_platform_fee_bps,
                                                'maxPlatformFeeBps', new.max_platform_fee_bps,
                                                'maxPlatformFixedPaise', new.max_platform_fixed_paise)) then
        raise exception 'platform_fee_bounds changes only with its audit row: revision % needs an audit entry by % with these bounds',
            new.revision, new.updated_by using errcode = 'P0001';
    end if;
    return new;
end $$;
-- like every guard (015): names resolve in the schema it was installed in, never in a temp table
do $$
begin
    execute format('alter function platform_fee_bounds_audited() set search_path = %I, pg_catalog, pg_temp', current_schema());
end $$;
create trigger platform_fee_bounds_audited before update on platform_fee_bounds
    for each row execute function platform_fee_bounds_audited();
create trigger platform_fee_bounds_no_delete before delete on platform_fee_bounds
    for each row execute function ledger_forbid_change();
create trigger platform_fee_bounds_no_truncate before truncate on platform_fee_bounds
    for each statement execute function ledger_forbid_change();
create trigger platform_fee_bounds_audit_append_only before update or delete on platform_fee_bounds_audit
    for each row execute function ledger_forbid_change();
create trigger platform_fee_bounds_audit_no_truncate before truncate on platform_fee_bounds_audit
    for each statement execute function ledger_forbid_change();
alter table platform_fee_bounds enable always trigger platform_fee_bounds_audited;
alter table platform_fee_bounds enable always trigger platform_fee_bounds_no_delete;
alter table platform_fee_bounds enable always trigger platform_fee_bounds_no_truncate;
alter table platform_fee_bounds_audit enable always trigger platform_fee_bounds_audit_append_only;
alter table platform_fee_bounds_audit enable always trigger platform_fee_bounds_audit_no_truncate;
