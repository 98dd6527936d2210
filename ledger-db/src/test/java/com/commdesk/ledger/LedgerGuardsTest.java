package com.commdesk.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.commdesk.ledger.testing.TestDatabases;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The database itself keeps the books honest, whatever the application does: these tests go
 * around the repositories and talk plain SQL to prove the triggers hold, connected as the OWNER of the
 * tables (who, unlike the runtime role, holds every privilege: RuntimeRoleGuardsTest proves what the
 * runtime role cannot even try).
 */
class LedgerGuardsTest {
    static LedgerDatabase runtime;
    static LedgerDatabase db;

    /** Two postings on two system accounts, in one statement (all of a journal's postings are one statement). */
    static String pair(String key, String debit, long amount, String credit) {
        return "insert into posting (journal_id, account_id, amount_paise) select j.journal_id, a.account_id, v.amount "
                + "from journal j, ledger_account a, (values ('" + debit + "', " + amount + "::bigint), ('" + credit + "', " + (-amount)
                + "::bigint)) v(code, amount) where j.idempotency_key = '" + key + "' and a.code = v.code";
    }

    @BeforeAll
    static void setUp() throws SQLException {
        runtime = TestDatabases.fresh();
        db = TestDatabases.owner(runtime);
        // A balanced two-line journal, committed in one transaction.
        exec("insert into journal (idempotency_key, kind, content_sha256) values ('adjustment:test:j1', 'ADJUSTMENT', repeat('a', 64))",
                pair("adjustment:test:j1", "cashfree_clearing", 500, "platform_fee_income"));
    }

    @Test
    void autocommittedJournalWithoutPostingsIsRefused() throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute(
                    "insert into journal (idempotency_key, kind, content_sha256) values ('adjustment:test:alone', 'ADJUSTMENT', repeat('f', 64))"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("at least two");
        }
    }

    @Test
    void journalKeysAreNamespacedByKind() {
        // A payment journal's key starts with "payment:", so no client's payment can take a refund's or a payout's key.
        for (String key : new String[] {"refund:x", "release:5", "payout-lock:po_1", "adjustment:test:mismatch"}) {
            assertThatThrownBy(() -> exec(
                    "insert into journal (idempotency_key, kind, content_sha256) values ('" + key + "', 'PAYMENT', repeat('1', 64))",
                    pair(key, "cashfree_clearing", 5, "tcs_payable")))
                    .as(key).isInstanceOf(SQLException.class).hasMessageContaining("journal_key_namespace");
        }
    }

    @AfterAll
    static void tearDown() throws Exception {
        db.close();
        runtime.close();
    }

    @Test
    void journalsAndPostingsRefuseUpdateDeleteAndTruncate() {
        for (String sql : new String[] {
                "update journal set description = 'changed'",
                "delete from journal",
                "truncate journal cascade",
                "update posting set amount_paise = amount_paise * 2",
                "delete from posting",
                "truncate posting",
                "update ledger_account set code = 'x' where code = 'tcs_payable'",
                "delete from ledger_account where code = 'tcs_payable'",
                "truncate ledger_account cascade",
                "truncate revenue_transaction cascade",
                "truncate revenue_distribution cascade", // cascade: distribution_allocation (091) references it
                "truncate platform_revenue cascade"}) {
            assertThatThrownBy(() -> exec(sql)).as(sql).isInstanceOf(SQLException.class)
                    .hasMessageContaining("append-only");
        }
        assertThat(count("select count(*) from posting")).isEqualTo(2);
        // Row-level UPDATE/DELETE guards on the revenue tables are proven on real rows in RuntimeRoleGuardsTest.
    }

    @Test
    void anUnbalancedJournalIsRefusedAtCommit() {
        assertThatThrownBy(() -> exec(
                "insert into journal (idempotency_key, kind, content_sha256) values ('adjustment:test:bad', 'ADJUSTMENT', repeat('b', 64))",
                "insert into posting (journal_id, account_id, amount_paise) select j.journal_id, a.account_id, v.amount "
                        + "from journal j, ledger_account a, (values ('cashfree_clearing', 100::bigint), ('tcs_payable', -99::bigint)) "
                        + "v(code, amount) where j.idempotency_key = 'adjustment:test:bad' and a.code = v.code"))
                .isInstanceOf(SQLException.class).hasMessageContaining("does not balance");
        assertThat(count("select count(*) from journal where idempotency_key = 'adjustment:test:bad'")).isZero();
        // Balanced halves in two statements are refused too: a journal's postings are one statement.
        assertThatThrownBy(() -> exec(
                "insert into journal (idempotency_key, kind, content_sha256) values ('adjustment:test:split', 'ADJUSTMENT', repeat('b', 64))",
                pair("adjustment:test:split", "cashfree_clearing", 100, "tcs_payable"),
                pair("adjustment:test:split", "cashfree_clearing", 1, "tcs_payable")))
                .isInstanceOf(SQLException.class).hasMessageContaining("already has postings");
    }

    @Test
    void aJournalNeedsTwoPostings() {
        assertThatThrownBy(() -> exec(
                "insert into journal (idempotency_key, kind, content_sha256) values ('adjustment:test:empty', 'ADJUSTMENT', repeat('c', 64))"))
                .isInstanceOf(SQLException.class).hasMessageContaining("at least two");
    }

    @Test
    void aCommittedJournalCannotGainPostingsLater() {
        // A balanced pair added later would keep the sum at zero; the guard still refuses it.
        assertThatThrownBy(() -> exec(pair("adjustment:test:j1", "cashfree_clearing", 1, "tcs_payable")))
                .isInstanceOf(SQLException.class).hasMessageContaining("outside the transaction");
    }

    @Test
    void postingsAndDistributionsMustNameExistingParents() {
        // Checked per statement by triggers (014), not by row-level foreign keys: same refusal, same SQLSTATE.
        assertThatThrownBy(() -> exec(
                "insert into journal (idempotency_key, kind, content_sha256) values ('adjustment:test:ghost', 'ADJUSTMENT', repeat('9', 64))",
                "insert into posting (journal_id, account_id, amount_paise) select j.journal_id, x.a, x.v from journal j, "
                        + "(values ((select account_id from ledger_account where code = 'cashfree_clearing'), 7::bigint), "
                        + "(999999999::bigint, -7::bigint)) x(a, v) where j.idempotency_key = 'adjustment:test:ghost'"))
                .isInstanceOf(SQLException.class).hasMessageContaining("account 999999999 which does not exist")
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("23503"));
        assertThatThrownBy(() -> exec(
                "insert into posting (journal_id, account_id, amount_paise) select 999999999, a.account_id, 1 "
                        + "from ledger_account a where a.code = 'cashfree_clearing'"))
                .isInstanceOf(SQLException.class).hasMessageContaining("outside the transaction");
        assertThatThrownBy(() -> exec(
                "insert into revenue_distribution (distribution_id, transaction_id, community_id, user_id, role_id, role_name, "
                        + "share_bps, amount_paise) values (gen_random_uuid(), gen_random_uuid(), 'demo-community', 'u-1', "
                        + "'demo-community:owner', 'owner', 10000, 100)"))
                .isInstanceOf(SQLException.class).hasMessageContaining("which does not exist")
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("23503"));
        assertThat(count("select count(*) from journal where idempotency_key = 'adjustment:test:ghost'")).isZero();
        assertThat(count("select count(*) from revenue_distribution")).isZero();
    }

    @Test
    void temporaryTablesCannotShadowWhatTheGuardsLookUp() {
        // A session's temp tables come first on the default search_path; the guards must still read the real tables.
        assertThatThrownBy(() -> exec(
                "create temp table ledger_account (account_id bigint) on commit drop",
                "insert into ledger_account values (999999999)",
                "insert into journal (idempotency_key, kind, content_sha256) values ('adjustment:test:shadow-acct', 'ADJUSTMENT', repeat('8', 64))",
                "insert into public.posting (journal_id, account_id, amount_paise) select j.journal_id, x.a, x.v "
                        + "from journal j, (values (999999999::bigint, 5::bigint), ((select account_id from public.ledger_account "
                        + "where code = 'cashfree_clearing'), -5)) x(a, v) where j.idempotency_key = 'adjustment:test:shadow-acct'"))
                .isInstanceOf(SQLException.class).hasMessageContaining("account 999999999 which does not exist");
        assertThatThrownBy(() -> exec(
                "create temp table posting (journal_id bigint, amount_paise bigint) on commit drop",
                "insert into journal (idempotency_key, kind, content_sha256) values ('adjustment:test:shadow-post', 'ADJUSTMENT', repeat('7', 64))",
                "insert into posting select journal_id, 123 from journal where idempotency_key = 'adjustment:test:shadow-post'",
                "insert into posting select journal_id, -123 from journal where idempotency_key = 'adjustment:test:shadow-post'",
                "insert into public.posting (journal_id, account_id, amount_paise) select j.journal_id, a.account_id, 123 "
                        + "from journal j, ledger_account a where j.idempotency_key = 'adjustment:test:shadow-post' and a.code = 'cashfree_clearing'"))
                .isInstanceOf(SQLException.class).hasMessageContaining("has 1 posting(s)");
        assertThat(count("select count(*) from journal where idempotency_key like 'adjustment:test:shadow-%'")).isZero();
    }

    @Test
    void aPaymentIdInTheWebhooksNamespaceIsOnlyEverItsOwnOrders() throws SQLException {
        // Review s12: 'cf-' || order id is the id of a payment its webhook claimed; a client's key there took another order's.
        String insert = "insert into payment (payment_id, request_sha256, community_id, source_type, source_id, cashfree_order_id, "
                + "amount_paise, workflow_id) values ('%1$s', repeat('0', 64), 'demo-community', 'EVENT', 'e', '%2$s', 100, 'payment-%1$s')";
        for (String id : List.of("cf-ord_2", "CF-ord_2", "cF-ord_2")) {
            assertThatThrownBy(() -> exec(insert.formatted(id, "ord_1"))).as(id)
                    .isInstanceOf(SQLException.class).hasMessageContaining("payment_webhook_id_is_its_order");
        }
        exec(insert.formatted("cf-ord_1", "ord_1"), insert.formatted("client-key-1", "ord_3"));
        assertThat(count("select count(*) from payment where payment_id in ('cf-ord_1', 'client-key-1')")).isEqualTo(2);
    }

    @Test
    void everyFunctionOfTheSchemaRunsWithItsSearchPathPinned() {
        // Each guard was pinned by hand in the changelog that made it, and one was forgotten (refund_requires_approval,
        // review s12): a session's temporary table of the same name then stood in for the real one. Every function written
        // in the schema, trigger or not, must resolve names in the schema and pg_catalog first, whatever the session says.
        var unpinned = db.dsl().fetch("""
                select p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace join pg_language l on l.oid = p.prolang
                 where n.nspname = current_schema() and l.lanname in ('plpgsql', 'sql')
                   and not exists (select 1 from unnest(coalesce(p.proconfig, '{}')) c where c like 'search\\_path=%')
                   and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
                 order by 1""").getValues(0, String.class);
        assertThat(unpinned).as("functions of the schema without a pinned search_path").isEmpty();
    }

    @Test
    void idempotencyKeysAreUniqueAndZeroPostingsAreRefused() {
        assertThatThrownBy(() -> exec(
                "insert into journal (idempotency_key, kind, content_sha256) values ('adjustment:test:j1', 'ADJUSTMENT', repeat('d', 64))"))
                .isInstanceOf(SQLException.class).hasMessageContaining("journal_idempotency_key_key");
        assertThatThrownBy(() -> exec(
                "insert into journal (idempotency_key, kind, content_sha256) values ('adjustment:test:zero', 'ADJUSTMENT', repeat('e', 64))",
                "insert into posting (journal_id, account_id, amount_paise) select j.journal_id, a.account_id, 0 "
                        + "from journal j, ledger_account a where j.idempotency_key = 'adjustment:test:zero' and a.code = 'tcs_payable'"))
                .isInstanceOf(SQLException.class).hasMessageContaining("posting_amount_paise_check");
    }

    @Test
    void walletBalancesCannotGoNegative() {
        assertThatThrownBy(() -> exec(
                "insert into member_wallet (community_id, role, user_id, available_paise) values ('demo-community', 'owner', 'u-x', -1)"))
                .isInstanceOf(SQLException.class).hasMessageContaining("member_wallet_available_paise_check");
    }

    @Test
    void moneyColumnsAreBigintAndNoColumnIsFloatingPoint() throws SQLException {
        assertThat(count("select count(*) from information_schema.columns where table_schema = current_schema() "
                + "and data_type in ('real', 'double precision', 'money')")).isZero();
        assertThat(count("select count(*) from information_schema.columns where table_schema = current_schema() "
                + "and column_name like '%paise' and data_type <> 'bigint'")).isZero();
    }

    /** Runs the statements in one transaction and commits it (so deferred checks fire). */
    private static void exec(String... sqls) throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                for (String sql : sqls) s.execute(sql);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static long count(String sql) {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
