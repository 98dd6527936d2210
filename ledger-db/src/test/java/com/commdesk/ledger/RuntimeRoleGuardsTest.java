package com.commdesk.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, defect 2: the database holds the books against the application's own connection. Every
 * statement here is plain SQL on the connection the API and the worker use (the runtime role), after
 * real postings; each trick is refused and the books are exactly as before it.
 */
class RuntimeRoleGuardsTest extends LedgerFixture {
    private String before;

    @BeforeEach
    void someRealBooks() {
        PostedPayment p = pay("guarded");
        pay("released");
        holds.releaseDueHolds(OffsetDateTime.now().plusYears(1), 7);
        refunds.postRefund(refund("rf-guarded", p, 100_000L));
        before = books();
    }

    /** Everything that is money: every posting, every wallet and total, every revenue row. */
    private String books() {
        return dsl.fetch("""
                select 'p' || string_agg(posting_id || ':' || journal_id || ':' || account_id || ':' || amount_paise, ',' order by posting_id)
                  from posting
                union all select 'j' || string_agg(journal_id || ':' || idempotency_key || ':' || kind, ',' order by journal_id) from journal
                union all select 'm' || string_agg(community_id || role || user_id || ':' || pending_paise || '/' || available_paise || '/'
                       || locked_paise || '/' || paid_out_paise || '/' || receivable_paise, ',' order by community_id, role, user_id) from member_wallet
                union all select 'c' || string_agg(community_id || ':' || pending_settlement_paise || '/' || available_balance_paise || '/'
                       || locked_balance_paise || '/' || total_gross_revenue_paise || '/' || total_net_revenue_paise || '/'
                       || total_platform_fees_paise || '/' || total_withdrawn_paise, ',') from community_wallet
                union all select 'r' || string_agg(transaction_id || ':' || gross_amount_paise || ':' || net_revenue_paise, ',') from revenue_transaction
                union all select 'd' || string_agg(distribution_id || ':' || amount_paise, ',') from revenue_distribution
                union all select 'f' || string_agg(platform_revenue_id || ':' || amount_paise, ',') from platform_revenue
                union all select 'x' || string_agg(refund_id || ':' || amount_paise, ',') from refund
                """).map(r -> String.valueOf(r.get(0))).toString();
    }

    @Test
    void theBooksRefuseUpdateDeleteAndTruncate() {
        List<String> refused = new ArrayList<>();
        for (String table : List.of("journal", "posting", "ledger_account", "revenue_transaction", "revenue_distribution",
                "platform_revenue", "refund")) {
            for (String sql : List.of("update " + table + " set created_at = created_at", "delete from " + table,
                    "truncate " + table + " cascade")) {
                assertThatThrownBy(() -> exec(sql)).as(sql).isInstanceOf(SQLException.class);
                refused.add(sql);
            }
        }
        assertThat(refused).hasSize(21);
        assertThat(books()).isEqualTo(before);
    }

    @Test
    void settingConstraintsImmediateCannotSlipAnUnbalancedPostingIntoABalancedJournal() {
        // The old trick: the balance check ran once (early, forced by SET CONSTRAINTS) and never again.
        assertThatThrownBy(() -> exec(
                "insert into journal (idempotency_key, kind, content_sha256) values ('adjustment:trick:1', 'ADJUSTMENT', repeat('a', 64))",
                "insert into posting (journal_id, account_id, amount_paise) select j.journal_id, a.account_id, v.amount "
                        + "from journal j, ledger_account a, (values ('cashfree_clearing', 500::bigint), ('recon_differences', -500::bigint)) "
                        + "v(code, amount) where j.idempotency_key = 'adjustment:trick:1' and a.code = v.code",
                "set constraints all immediate",
                "insert into posting (journal_id, account_id, amount_paise) select j.journal_id, a.account_id, 1000000 "
                        + "from journal j, ledger_account a where j.idempotency_key = 'adjustment:trick:1' and a.code = 'cashfree_clearing'"))
                .isInstanceOf(SQLException.class);
        assertThat(books()).isEqualTo(before);
    }

    @Test
    void aCommittedJournalCannotGainPostings() {
        assertThatThrownBy(() -> exec(
                "insert into posting (journal_id, account_id, amount_paise) select j.journal_id, a.account_id, v.amount "
                        + "from (select min(journal_id) journal_id from journal) j, ledger_account a, "
                        + "(values ('cashfree_clearing', 7::bigint), ('tcs_payable', -7::bigint)) v(code, amount) where a.code = v.code"))
                .isInstanceOf(SQLException.class);
        assertThat(books()).isEqualTo(before);
    }

    @Test
    void walletsCannotBeEditedByHand() {
        for (String sql : List.of(
                "update member_wallet set available_paise = available_paise + 100000 where user_id = 'u-owner'",
                "update member_wallet set receivable_paise = 0",
                "update community_wallet set total_gross_revenue_paise = 0",
                "delete from member_wallet",
                "insert into member_wallet (community_id, role, user_id, available_paise) values ('demo-community', 'owner', 'u-new', 5000)")) {
            assertThatThrownBy(() -> exec(sql)).as(sql).isInstanceOf(SQLException.class);
        }
        assertThat(books()).isEqualTo(before);
    }

    @Test
    void theGuardsCannotBeSwitchedOffOrReplaced() {
        for (String sql : List.of(
                "alter table posting disable trigger all",
                "alter table journal disable trigger journal_append_only",
                "set session_replication_role = replica",
                "drop trigger journal_append_only on journal",
                "create or replace function ledger_forbid_change() returns trigger language plpgsql as $$ begin return new; end $$",
                "create table shadow (id int)",
                "alter table member_wallet drop constraint member_wallet_available_paise_check")) {
            assertThatThrownBy(() -> exec(sql)).as(sql).isInstanceOf(SQLException.class);
        }
        assertThatThrownBy(() -> exec("update journal set description = 'x'")).isInstanceOf(SQLException.class);
        assertThat(books()).isEqualTo(before);
    }

    /** Runs the statements in one transaction on the application's connection and commits (deferred checks fire). */
    private void exec(String... sqls) throws SQLException {
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
}
