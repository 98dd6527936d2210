package com.commdesk.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.ledger.testing.TestDatabases;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The runtime role's privileges are declared, table by table, in runtime_access_policy (changelog
 * 019; docs/ledger.md, "Two roles"). This fails when someone adds a table without declaring what the
 * API and the worker may do with it, and when the role's real privileges differ from the declaration.
 */
class RuntimeAccessPolicyTest {
    static LedgerDatabase runtime;
    static LedgerDatabase owner;
    static DSLContext dsl;

    @BeforeAll
    static void open() {
        runtime = TestDatabases.fresh();
        owner = TestDatabases.owner(runtime);
        dsl = owner.dsl();
    }

    @AfterAll
    static void close() throws Exception {
        owner.close();
        runtime.close();
    }

    @Test
    void everyTableHasADeclaredRuntimePolicy() {
        List<String> undeclared = dsl.fetch("""
                select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
                 where n.nspname = current_schema() and c.relkind in ('r', 'p', 'v', 'm')
                   and not exists (select 1 from runtime_access_policy p where p.table_name = c.relname)
                 order by 1
                """).map(r -> r.get(0, String.class));
        assertThat(undeclared).as("tables and views without a row in runtime_access_policy: add one in your changeset "
                + "(docs/ledger.md, \"Two roles\")").isEmpty();
    }

    @Test
    void theRuntimeRoleHasExactlyTheDeclaredPrivileges() {
        List<String> wrong = new ArrayList<>();
        for (var p : dsl.fetch("select table_name, access, update_columns from runtime_access_policy order by 1")) {
            String table = p.get(0, String.class);
            String access = p.get(1, String.class);
            Set<String> updatable = Set.of(p.get(2, String[].class));
            if (!dsl.fetchExists(dsl.selectOne().from("pg_class c join pg_namespace n on n.oid = c.relnamespace")
                    .where("n.nspname = current_schema() and c.relname = ?", table))) {
                continue; // declared ahead of the changeset that creates it
            }
            boolean select = privilege(table, "SELECT"), insert = privilege(table, "INSERT"), update = privilege(table, "UPDATE");
            boolean delete = privilege(table, "DELETE"), truncate = privilege(table, "TRUNCATE"), trigger = privilege(table, "TRIGGER");
            boolean expectSelect = !access.equals("NONE");
            boolean expectInsert = access.equals("APPEND_ONLY") || access.equals("STATUS") || access.equals("MUTABLE");
            boolean expectDelete = access.equals("MUTABLE");
            if (select != expectSelect || insert != expectInsert || delete != expectDelete || truncate || trigger) {
                wrong.add(table + " (" + access + "): select=" + select + " insert=" + insert + " delete=" + delete
                        + " truncate=" + truncate + " trigger=" + trigger);
            }
            if (access.equals("MUTABLE") != update) wrong.add(table + " (" + access + "): table-level update=" + update);
            if (!access.equals("MUTABLE")) {
                for (String column : dsl.fetch("select attname from pg_attribute where attrelid = ?::regclass and attnum > 0 "
                        + "and not attisdropped", table).map(r -> r.get(0, String.class))) {
                    boolean may = Boolean.TRUE.equals(dsl.fetchValue("select has_column_privilege(?, ?, ?, 'UPDATE')",
                            Migrations.RUNTIME_ROLE, table, column));
                    if (may != updatable.contains(column)) wrong.add(table + "." + column + ": update=" + may);
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void theRuntimeRoleOwnsNothingAndCannotCreate() {
        assertThat(dsl.fetchValue("select count(*) from pg_class c join pg_roles r on r.oid = c.relowner where r.rolname = ?",
                Migrations.RUNTIME_ROLE)).isEqualTo(0L);
        assertThat(dsl.fetchValue("select has_schema_privilege(?, current_schema(), 'CREATE')", Migrations.RUNTIME_ROLE)).isEqualTo(false);
        assertThat(dsl.fetchValue("select rolsuper or rolcreaterole or rolcreatedb or rolbypassrls from pg_roles where rolname = ?",
                TestDatabases.RUNTIME_USER)).isEqualTo(false);
        assertThat(dsl.fetchValue("select count(*) from pg_trigger g join pg_class c on c.oid = g.tgrelid "
                + "join pg_namespace n on n.oid = c.relnamespace where n.nspname = current_schema() and not g.tgisinternal "
                + "and g.tgenabled <> 'A'")).as("every guard fires ALWAYS").isEqualTo(0L);
    }

    private static boolean privilege(String table, String privilege) {
        return Boolean.TRUE.equals(dsl.fetchValue("select has_table_privilege(?, ?, ?)", Migrations.RUNTIME_ROLE, table, privilege));
    }
}
