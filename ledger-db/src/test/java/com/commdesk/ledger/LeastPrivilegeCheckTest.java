package com.commdesk.ledger;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.commdesk.ledger.testing.TestDatabases;
import org.junit.jupiter.api.Test;

/**
 * The check every app runs on its runtime connection before it serves anything (LedgerDatabase.forRuntime): the books
 * are held by the database only if the application cannot rewrite them, nor write into the schema the guards resolve
 * their names in (a function or an operator of its own there would be called by them).
 */
class LeastPrivilegeCheckTest {

    @Test
    void theRuntimeRolePassesAndASuperuserOrARoleThatMayCreateInTheSchemaIsRefused() throws Exception {
        TestDatabases.Urls urls = TestDatabases.freshUrls();
        try (LedgerDatabase runtime = LedgerDatabase.open(urls.runtime(), null, null, 1);
             LedgerDatabase admin = LedgerDatabase.open(urls.owner(), null, null, 1)) {
            assertThatCode(() -> LedgerDatabase.requireLeastPrivilege(runtime.dsl())).doesNotThrowAnyException();
            assertThatThrownBy(() -> LedgerDatabase.requireLeastPrivilege(admin.dsl())).hasMessageContaining("is a superuser");

            // Review s12: PUBLIC keeps CREATE on the public schema on PostgreSQL 14 and older, and on clusters upgraded from them.
            String schema = (String) runtime.dsl().fetchValue("select current_schema()");
            admin.dsl().execute("grant create on schema " + schema + " to public");
            assertThatThrownBy(() -> LedgerDatabase.requireLeastPrivilege(runtime.dsl()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("may create objects in schema " + schema);
            admin.dsl().execute("revoke create on schema " + schema + " from public");
            assertThatCode(() -> LedgerDatabase.requireLeastPrivilege(runtime.dsl())).doesNotThrowAnyException();
        }
    }
}
