--liquibase formatted sql

--changeset commdesk:122-pin-every-function-search-path splitStatements:false
-- Why: each guard's search_path was pinned by hand in the changelog that made it (015, 017, 070 and others), and
-- refund_requires_approval (097) was forgotten: a session's temporary refund_approval comes first on the default
-- search_path, and an empty one let a refund waiting for finance be reserved on the application's own connection
-- (review s12; RefundTest.aRefundWaitingForFinanceIsNeverReservedInJavaOrInTheDatabase). Every function of the schema
-- written in plpgsql or sql that has no search_path of its own gets the guards' one: the schema, pg_catalog, and the
-- temporary schema last. LedgerGuardsTest.everyFunctionOfTheSchemaRunsWithItsSearchPathPinned keeps it so for
-- functions added later. Only the schema's own functions: not an extension's, nor another role's (a DBA's helper in a
-- shared schema), which this owner may not alter.
do $$
declare
    fn regprocedure;
begin
    for fn in
        select p.oid::regprocedure from pg_proc p
          join pg_namespace n on n.oid = p.pronamespace
          join pg_language l on l.oid = p.prolang
         where n.nspname = current_schema() and l.lanname in ('plpgsql', 'sql')
           and not exists (select 1 from unnest(coalesce(p.proconfig, '{}')) c where c like 'search\_path=%')
           and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
           and pg_has_role(p.proowner, 'USAGE')
    loop
        execute format('alter function %s set search_path = %I, pg_catalog, pg_temp', fn, current_schema());
    end loop;
end $$;
