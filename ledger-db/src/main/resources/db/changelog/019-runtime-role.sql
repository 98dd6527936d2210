--liquibase formatted sql

--changeset commdesk:019-runtime-role splitStatements:false
-- Two roles (issue 10, defect 2; docs/ledger.md, "Two roles"): the migration owner applies this
-- changelog and owns every table, function and trigger; the API and the worker connect as a login
-- role that is a member of commdesk_runtime, which may only do what runtime_access_policy declares
-- for each table: no UPDATE/DELETE on the books, no TRUNCATE, no DDL, no trigger control. Creating the
-- group role needs CREATEROLE; where the owner has none, a DBA creates it first (then this is a no-op).
do $$
begin
    if not exists (select 1 from pg_roles where rolname = 'commdesk_runtime') then
        create role commdesk_runtime nologin;
    end if;
end $$;

--changeset commdesk:019-runtime-access-policy
-- One row per table (and view): what the runtime role may do with it. A test (RuntimeAccessPolicyTest) fails
-- when a table of the schema has no row here, or when the role's actual privileges differ from it.
--   APPEND_ONLY  SELECT, INSERT                 (the books, audit trails, intake records)
--   STATUS       SELECT, INSERT, UPDATE(update_columns only)  (rows whose status must change)
--   PROJECTION   SELECT                         (maintained by triggers from the postings)
--   MUTABLE      SELECT, INSERT, UPDATE, DELETE (configuration edited by people)
--   READ_ONLY    SELECT
--   NONE         nothing                        (tools' own tables)
create table runtime_access_policy (
    table_name      text    primary key,
    access          text    not null check (access in ('APPEND_ONLY', 'STATUS', 'PROJECTION', 'MUTABLE', 'READ_ONLY', 'NONE')),
    update_columns  text[]  not null default '{}',
    why             text    not null check (length(why) between 1 and 500),
    check ((access = 'STATUS') = (cardinality(update_columns) > 0))
);

insert into runtime_access_policy (table_name, access, update_columns, why) values
    ('journal',               'APPEND_ONLY', '{}', 'the books: corrections are new journals'),
    ('posting',               'APPEND_ONLY', '{}', 'the books'),
    ('ledger_account',        'APPEND_ONLY', '{}', 'accounts are created on first use, never changed'),
    ('revenue_transaction',   'APPEND_ONLY', '{}', 'the spec''s RevenueTransaction, one per payment journal'),
    ('revenue_distribution',  'APPEND_ONLY', '{}', 'member shares of a payment'),
    ('platform_revenue',      'APPEND_ONLY', '{}', 'one row per journal that changes the platform''s fee'),
    ('refund',                'APPEND_ONLY', '{}', 'a refund''s reservation journal and its parts'),
    ('refund_outcome',        'APPEND_ONLY', '{}', 'how a refund ended, once'),
    ('refund_request',        'APPEND_ONLY', '{}', 'clients'' refund keys, stored apart from ledger keys'),
    ('member_wallet',         'PROJECTION',  '{}', 'maintained from the postings by trigger (017)'),
    ('community_wallet',      'PROJECTION',  '{}', 'maintained from the postings and revenue rows by trigger (017, 018)'),
    ('wallet_hold',           'STATUS',      '{released_journal_id,cancelled_journal_id,blocked_reason,amount_paise}',
                                             'a hold is released, cancelled or shrunk by a refund of its payment'),
    ('payment',               'STATUS',      '{status,status_detail,updated_at,workflow_started_at}',
                                             'the last stage its workflow recorded; when its workflow was started (090)'),
    ('payment_screening',     'STATUS',      '{flagged,reasons}', 'the fraud screen''s verdict'),
    ('payout_instruction',    'READ_ONLY',   '{}', 'rows of the removed hand-over step (docs/decisions.md D13)'),
    ('payout_beneficiary',    'STATUS',      '{registered_at,superseded_at,cashfree_beneficiary_id,payable_from}',
                                             'registered at Cashfree (again if Cashfree lost it); superseded by new details'),
    ('payout_flag',           'STATUS',      '{cleared_by,cleared_at}', 'a flag is cleared once'),
    ('settlement',            'STATUS',      '{status,payout_count,total_paise,paid_paise,skipped_no_beneficiary,completed_at}',
                                             'recomputed from its payouts'),
    ('payout',                'STATUS',      '{status,reason,updated_at,decided_by,flagged_reason,needs_approval,transfer_requested_at,cf_transfer_id,cashfree_status,cashfree_status_code,lock_journal_id,paid_journal_id,failed_journal_id,reversed_journal_id,paid_at,attention_since,resolution_outcome,resolution_requested_by,resolution_confirmed_by}',
                                             'a payout''s life; its amount, member and beneficiary never change'),
    ('payout_event',          'APPEND_ONLY', '{}', 'audit trail of a payout'),
    ('recon_run',             'STATUS',      '{runs,last_run_at,lines_seen,payment_lines,matched,exceptions_seen}', 'counters of a re-run'),
    ('recon_line',            'APPEND_ONLY', '{}', 'Cashfree''s side of reconciliation'),
    ('recon_exception',       'STATUS',      '{status,resolved_by,resolved_at,resolution_note,adjustment_journal_id}',
                                             'resolved once (trigger recon_exception_resolve_once)'),
    ('recon_exception_audit', 'APPEND_ONLY', '{}', 'audit trail of resolutions'),
    ('commission_rule',       'STATUS',      '{status,current_version,updated_by,updated_at}', 'the rule header moves to its next version'),
    ('commission_rule_version','STATUS',     '{used_at}', 'marked used once (trigger commission_rule_version_immutable)'),
    ('commission_rule_audit', 'APPEND_ONLY', '{}', 'audit trail of rule changes'),
    ('community',             'MUTABLE',     '{}', 'configuration: onboarding and settings'),
    ('community_role',        'MUTABLE',     '{}', 'configuration: the role split'),
    ('community_member',      'MUTABLE',     '{}', 'configuration: members of roles'),
    ('fraud_blocklist',       'APPEND_ONLY', '{}', 'operators block; unblocking is not built'),
    ('webhook_event',         'APPEND_ONLY', '{}', 'deliveries recorded once by event id'),
    ('analytics_revenue_delta',    'READ_ONLY', '{}', 'rollup deltas written by the database''s own triggers (070)'),
    ('analytics_share_delta',      'READ_ONLY', '{}', 'rollup deltas written by the database''s own triggers (070)'),
    ('analytics_account_delta',    'READ_ONLY', '{}', 'rollup deltas written by the database''s own triggers (070)'),
    ('analytics_payout_delta',     'READ_ONLY', '{}', 'rollup deltas written by the database''s own triggers (070)'),
    ('analytics_platform_account', 'READ_ONLY', '{}', 'which accounts the account rollup follows, kept by trigger (070)'),
    ('analytics_revenue_facts',    'READ_ONLY', '{}', 'view: the rows the revenue rollup is checked against (070, 020)'),
    ('analytics_share_facts',      'READ_ONLY', '{}', 'view: the rows the share rollup is checked against (070)'),
    ('analytics_account_facts',    'READ_ONLY', '{}', 'view: the rows the account rollup is checked against (070)'),
    ('analytics_payout_facts',     'READ_ONLY', '{}', 'view: the rows the payout rollup is checked against (070)'),
    ('platform_fee_bounds',        'STATUS', '{min_platform_fee_bps,max_platform_fee_bps,max_platform_fixed_paise,revision,updated_by,updated_at}',
                                             'one row; changed only with its audit row, by trigger (042)'),
    ('platform_fee_bounds_audit',  'APPEND_ONLY', '{}', 'who changed the fee bounds, from what to what (042)'),
    ('audit_log',                  'APPEND_ONLY', '{}', 'who did what, append-only by trigger (050)'),
    ('split_agreement',            'APPEND_ONLY', '{}', 'versions of a community''s split agreement (051)'),
    ('payment_split_agreement',    'APPEND_ONLY', '{}', 'which agreement version split a payment (051)'),
    ('api_idempotency',            'MUTABLE',     '{}', 'clients'' idempotency keys of onboarding requests: in progress, done or given up (051)'),
    ('runtime_access_policy', 'READ_ONLY',   '{}', 'this list'),
    ('databasechangelog',     'NONE',        '{}', 'Liquibase''s own'),
    ('databasechangeloglock', 'NONE',        '{}', 'Liquibase''s own');

--changeset commdesk:019-apply-runtime-grants splitStatements:false runOnChange:true
-- Makes the runtime role's privileges exactly what runtime_access_policy says, for every table of
-- the schema (a table without a row gets nothing), and sets every trigger of the schema to fire
-- ALWAYS (also under session_replication_role = replica). Run after every migration (Migrations
-- calls it after the changelog), so tables added later by any changeset are covered once their
-- policy row exists.
create or replace function ledger_apply_runtime_grants() returns void language plpgsql as $$
declare
    t record;
    trg record;
begin
    execute format('grant usage on schema %I to commdesk_runtime', current_schema());
    execute format('revoke create on schema %I from commdesk_runtime', current_schema());
    for t in select c.relname, p.access, p.update_columns
               from pg_class c join pg_namespace n on n.oid = c.relnamespace
               left join runtime_access_policy p on p.table_name = c.relname
              where n.nspname = current_schema() and c.relkind in ('r', 'p', 'v', 'm')
              order by c.relname loop
        execute format('revoke all on table %I from commdesk_runtime', t.relname);
        if t.access in ('APPEND_ONLY', 'STATUS') then
            execute format('grant select, insert on table %I to commdesk_runtime', t.relname);
        elsif t.access in ('PROJECTION', 'READ_ONLY') then
            execute format('grant select on table %I to commdesk_runtime', t.relname);
        elsif t.access = 'MUTABLE' then
            execute format('grant select, insert, update, delete on table %I to commdesk_runtime', t.relname);
        end if;
        if t.access = 'STATUS' then
            execute format('grant update (%s) on table %I to commdesk_runtime',
                           (select string_agg(quote_ident(col), ', ') from unnest(t.update_columns) col), t.relname);
        end if;
    end loop;
    execute format('grant usage on all sequences in schema %I to commdesk_runtime', current_schema());
    grant execute on function ledger_lock_wallets(text, text[], text[]) to commdesk_runtime;
    grant execute on function ledger_lock_payment(uuid) to commdesk_runtime;
    for trg in select g.tgname, c.relname
                 from pg_trigger g join pg_class c on c.oid = g.tgrelid join pg_namespace n on n.oid = c.relnamespace
                where n.nspname = current_schema() and not g.tgisinternal and g.tgenabled <> 'A' loop
        execute format('alter table %I enable always trigger %I', trg.relname, trg.tgname);
    end loop;
end $$;
revoke execute on function ledger_apply_runtime_grants() from public;

do $$
begin
    execute format('alter function ledger_apply_runtime_grants() set search_path = %I, pg_catalog, pg_temp', current_schema());
end $$;

select ledger_apply_runtime_grants();
