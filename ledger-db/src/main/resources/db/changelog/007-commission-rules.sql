--liquibase formatted sql

--changeset commdesk:007-commission-rules
-- Stored, versioned commission rules (docs/rules.md). A rule is a header (status, current version)
-- plus its versions; a version's content never changes: editing a rule adds the next version.
-- Once a payment has used a version (used_at set) the row is frozen entirely.
create table commission_rule (
    rule_id          text        primary key check (rule_id ~ '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$'),
    status           text        not null check (status in ('ACTIVE', 'INACTIVE')),
    current_version  integer     not null check (current_version between 1 and 1000000),
    created_by       text        not null check (length(created_by) between 1 and 128),
    created_at       timestamptz not null default now(),
    updated_by       text        not null check (length(updated_by) between 1 and 128),
    updated_at       timestamptz not null default now()
);
-- RuleSet treats rule ids case-insensitively; so does the table.
create unique index commission_rule_id_ci_idx on commission_rule (lower(rule_id));

create table commission_rule_version (
    rule_id         text        not null references commission_rule (rule_id),
    version         integer     not null check (version between 1 and 1000000),
    priority        integer     not null check (priority between -1000000 and 1000000),
    effective_from  timestamptz not null,
    effective_to    timestamptz null check (effective_to is null or effective_to > effective_from),
    -- ConditionCodec's tree: {"op":"eq","field":"sourceType","value":"EVENT"}, ...
    condition       jsonb       not null check (jsonb_typeof(condition) = 'object'),
    -- com.commdesk.fees.FeeSchedule as JSON (field names as in the record)
    schedule        jsonb       not null check (jsonb_typeof(schedule) = 'object'),
    -- List<com.commdesk.fees.RoleSplit>; [] = the community's own roles
    roles           jsonb       not null default '[]'::jsonb check (jsonb_typeof(roles) = 'array'),
    created_by      text        not null check (length(created_by) between 1 and 128),
    created_at      timestamptz not null default now(),
    -- first time a payment's fee calculation chose this version; null = never used
    used_at         timestamptz null,
    primary key (rule_id, version)
);

-- Who changed what, when: one row per create / update / deactivate, with the rule before and after.
create table commission_rule_audit (
    audit_id    bigint      generated always as identity primary key,
    rule_id     text        not null references commission_rule (rule_id),
    version     integer     null,
    action      text        not null check (action in ('CREATE', 'UPDATE', 'DEACTIVATE')),
    actor       text        not null check (length(actor) between 1 and 128),
    changed_at  timestamptz not null default now(),
    before      jsonb       null,
    after       jsonb       null
);
create index commission_rule_audit_rule_idx on commission_rule_audit (rule_id, audit_id);

--changeset commdesk:007-commission-rule-guards
-- A version's content is immutable from birth (only used_at may go from null to a time), and a used
-- version is frozen altogether; versions are never deleted. The audit trail is append-only.
create trigger commission_rule_version_immutable before update on commission_rule_version
    for each row
    when (old.used_at is not null
          or (new.rule_id, new.version, new.priority, new.effective_from, new.effective_to, new.condition,
              new.schedule, new.roles, new.created_by, new.created_at)
             is distinct from
             (old.rule_id, old.version, old.priority, old.effective_from, old.effective_to, old.condition,
              old.schedule, old.roles, old.created_by, old.created_at))
    execute function ledger_forbid_change();
create trigger commission_rule_version_no_delete before delete on commission_rule_version
    for each row execute function ledger_forbid_change();
create trigger commission_rule_version_no_truncate before truncate on commission_rule_version
    for each statement execute function ledger_forbid_change();
create trigger commission_rule_audit_append_only before update or delete on commission_rule_audit
    for each row execute function ledger_forbid_change();
create trigger commission_rule_audit_no_truncate before truncate on commission_rule_audit
    for each statement execute function ledger_forbid_change();
