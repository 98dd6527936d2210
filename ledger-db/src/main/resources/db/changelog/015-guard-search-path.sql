--liquibase formatted sql

--changeset commdesk:015-guard-search-path splitStatements:false
-- Why: the guard functions named their tables without a schema, and a session's temporary tables
-- come first on the default search_path. A session allowed to create temp tables could shadow
-- journal / ledger_account / revenue_transaction / posting with its own and get an orphan posting
-- or an unbalanced journal committed (found in review; a foreign key always names the real table).
-- Each guard now resolves names in the schema it was installed in, then pg_catalog, and the
-- temporary schema last (PostgreSQL's advice for functions that must not be fooled this way).
do $$
declare
    fn text;
begin
    foreach fn in array array[
        'ledger_forbid_change()',
        'ledger_check_journal_balanced()',
        'ledger_force_journal_tx()',
        'ledger_check_postings_references()',
        'ledger_check_distributions_references()',
        'recon_exception_resolve_once()'] loop
        execute format('alter function %s set search_path = %I, pg_catalog, pg_temp', fn, current_schema());
    end loop;
end $$;

-- The foreign key refused TRUNCATE whatever session_replication_role said; so does its replacement.
alter table ledger_account enable always trigger ledger_account_no_truncate;
