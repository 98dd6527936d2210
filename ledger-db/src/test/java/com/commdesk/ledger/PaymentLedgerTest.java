package com.commdesk.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.commdesk.fees.FeeBreakdown;
import com.commdesk.fees.FeeEngine;
import com.commdesk.fees.FeeSchedules;
import com.commdesk.fees.PaymentFacts;
import com.commdesk.fees.RoleAllocation;
import com.commdesk.fees.SplitEngine;
import com.commdesk.ledger.testing.TestDatabases;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Posting payments into real PostgreSQL: the spec's example, idempotency, reversal, concurrency. */
class PaymentLedgerTest {
    static LedgerDatabase db;
    static DSLContext dsl;
    static PaymentLedger payments;
    static LedgerQueries queries;
    static CommunityConfig demo;

    @BeforeAll
    static void setUp() {
        db = TestDatabases.fresh();
        dsl = db.dsl();
        payments = new PaymentLedger(new Ledger(dsl));
        queries = new LedgerQueries(dsl);
        demo = new CommunityRepository(dsl).find("demo-community").orElseThrow();
    }

    @AfterAll
    static void tearDown() throws Exception {
        db.close();
    }

    /** The spec's Example 1 (Rs 10,000 event ticket by card) under the seed's schedule. */
    static PaymentPosting example1(String key, String orderId) {
        FeeBreakdown b = FeeEngine.calculate(new PaymentFacts(1_000_000L, "EVENT", "CARD", "KA", "KA"), FeeSchedules.seedExamples());
        List<RoleAllocation> shares = SplitEngine.splitRevenueAcrossRoles(b.netPaise(), demo.roles());
        return new PaymentPosting(key, "demo-community", "EVENT", "evt-1", orderId, "cf-" + orderId, "CARD", b, shares,
                null, null, Map.of("note", "example 1"));
    }

    @Test
    void postsExampleOneAsOneBalancedJournalWithTheSpecsRows() {
        PostedPayment posted = payments.postPayment(example1("ex1", "order-ex1"));

        assertThat(posted.newlyPosted()).isTrue();
        var view = queries.postedPayment("ex1").orElseThrow();
        assertThat(view.grossAmountPaise()).isEqualTo(1_000_000L);
        assertThat(view.gstPaise()).isEqualTo(180_000L);
        assertThat(view.gatewayFeePaise()).isEqualTo(16_400L);
        assertThat(view.gatewayFeeGstPaise()).isEqualTo(2_900L);
        assertThat(view.platformFeePaise()).isEqualTo(80_000L);
        assertThat(view.netPaise()).isEqualTo(720_700L);
        // owner 3,603.50; admins 1,441.40 (two members); moderators 720.70; event team 1,441.40 (three members)
        assertThat(view.shares()).extracting(LedgerQueries.Share::role, LedgerQueries.Share::userId, LedgerQueries.Share::amountPaise)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("owner", "u-owner", 360_350L),
                        org.assertj.core.groups.Tuple.tuple("admins", "u-admin1", 72_070L),
                        org.assertj.core.groups.Tuple.tuple("admins", "u-admin2", 72_070L),
                        org.assertj.core.groups.Tuple.tuple("moderators", "u-mod1", 72_070L),
                        org.assertj.core.groups.Tuple.tuple("event_team", "u-event1", 48_047L),
                        org.assertj.core.groups.Tuple.tuple("event_team", "u-event2", 48_047L),
                        org.assertj.core.groups.Tuple.tuple("event_team", "u-event3", 48_046L));

        long journalSum = num("select sum(amount_paise) from posting where journal_id = ?", posted.journalId());
        assertThat(journalSum).isZero();
        long pool = num("select coalesce(sum(p.amount_paise), 0) from posting p join ledger_account a using (account_id) "
                + "where a.code = 'community_pool:demo-community' and p.journal_id = ?", posted.journalId());
        assertThat(pool).as("the community pool is emptied by every payment").isZero();
        assertThat(queries.trialBalance().balanced()).isTrue();

        long ownerPending = num("select pending_paise from member_wallet where user_id = 'u-owner'");
        assertThat(ownerPending).isEqualTo(360_350L);
        assertThat(num("select total_net_revenue_paise from community_wallet where community_id = 'demo-community'"))
                .isGreaterThanOrEqualTo(720_700L);

        // The revenue rows are append-only too, now that they exist.
        for (String sql : List.of("update revenue_transaction set net_revenue_paise = 0",
                "delete from revenue_distribution", "update platform_revenue set amount_paise = 1")) {
            assertThatThrownBy(() -> {
                try (Connection c = db.dataSource().getConnection()) {
                    c.createStatement().execute(sql);
                }
            }).as(sql).isInstanceOf(SQLException.class).hasMessageMatching("(?s).*(append-only|permission denied).*");
        }
    }

    @Test
    void theSameKeyTwiceIsOnePostingAndOtherContentIsAConflict() {
        PostedPayment first = payments.postPayment(example1("dup", "order-dup"));
        PostedPayment again = payments.postPayment(example1("dup", "order-dup"));

        assertThat(again.newlyPosted()).isFalse();
        assertThat(again.journalId()).isEqualTo(first.journalId());
        assertThat(again.transactionId()).isEqualTo(first.transactionId());
        assertThat(dsl.fetchCount(dsl.selectFrom("journal").where("idempotency_key = 'payment:demo-community:dup'"))).isEqualTo(1);

        PaymentPosting other = example1("dup", "order-dup-other");
        assertThatThrownBy(() -> payments.postPayment(other))
                .isInstanceOfSatisfying(LedgerException.class, e -> assertThat(e.code()).isEqualTo(LedgerException.Code.IDEMPOTENCY_CONFLICT));
        assertThatThrownBy(() -> payments.postPayment(example1("dup-2", "order-dup")))
                .isInstanceOfSatisfying(LedgerException.class, e -> assertThat(e.code()).isEqualTo(LedgerException.Code.ORDER_ALREADY_POSTED));
        assertThat(dsl.fetchCount(dsl.selectFrom("journal").where("idempotency_key like '%:dup-2'"))).isZero();
    }

    @Test
    void anUnknownCommunityWritesNothing() {
        PaymentPosting p = example1("nocomm", "order-nocomm");
        PaymentPosting unknown = new PaymentPosting(p.idempotencyKey(), "no-such-community", p.sourceType(), p.sourceId(),
                p.cashfreeOrderId(), p.cashfreePaymentId(), p.paymentMethod(), p.breakdown(), p.shares(), null, null, Map.of());
        assertThatThrownBy(() -> payments.postPayment(unknown))
                .isInstanceOfSatisfying(LedgerException.class, e -> assertThat(e.code()).isEqualTo(LedgerException.Code.UNKNOWN_COMMUNITY));
        assertThat(dsl.fetchCount(dsl.selectFrom("journal").where("idempotency_key like '%:nocomm'"))).isZero();
    }

    @Test
    void aReversalIsALinkedJournalThatRestoresTheWalletsExactly() {
        long ownerBefore = ownerPending();
        PostedPayment posted = payments.postPayment(example1("rev", "order-rev"));
        assertThat(ownerPending()).isEqualTo(ownerBefore + 360_350L);

        long reversal = payments.reversePayment("rev", "test").orElseThrow();
        long again = payments.reversePayment("rev", "test again").orElseThrow();

        assertThat(again).isEqualTo(reversal);
        assertThat(ownerPending()).isEqualTo(ownerBefore);
        assertThat(num("select reverses_journal_id from journal where journal_id = ?", reversal))
                .isEqualTo(posted.journalId());
        long net = num("select sum(amount_paise) from posting where journal_id in (?, ?)", posted.journalId(), reversal);
        assertThat(net).isZero();
        // Both journals are still there: nothing was deleted.
        assertThat(dsl.fetchCount(dsl.selectFrom("posting").where("journal_id = ?", posted.journalId()))).isGreaterThan(10);
        assertThat(payments.reversePayment("never-posted", "nothing")).isEmpty();
        assertThat(num("select count(*) from journal where reverses_journal_id = ?", posted.journalId())).isEqualTo(1);
        assertThat(queries.trialBalance().balanced()).isTrue();
    }

    @Test
    void concurrentPostingsOverSharedMembersKeepEveryInvariant() throws Exception {
        int threads = 8;
        int perThread = 25;
        long ownerBefore = ownerPending();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                for (int i = 0; i < perThread; i++) {
                    // Every key is posted twice, from two threads, to race the idempotency check too.
                    String key = "conc-" + ((thread / 2) * perThread + i);
                    payments.postPayment(example1(key, "order-" + key));
                }
                return null;
            }));
        }
        for (Future<?> f : futures) f.get();
        pool.shutdown();

        int distinct = threads / 2 * perThread;
        assertThat(num("select count(*) from journal where idempotency_key like 'payment:demo-community:conc-%'")).isEqualTo((long) distinct);
        assertThat(num("select count(distinct idempotency_key) from revenue_transaction where idempotency_key like 'conc-%'"))
                .isEqualTo(distinct);
        assertThat(ownerPending()).isEqualTo(ownerBefore + distinct * 360_350L);
        assertThat(queries.trialBalance().balanced()).isTrue();
        // Every member wallet equals the sum of its pending postings (credit-normal).
        assertThat(num("""
                select count(*) from member_wallet w
                 where w.pending_paise <> coalesce((select -sum(p.amount_paise) from posting p join ledger_account a using (account_id)
                                                     where a.code = 'member:' || w.community_id || ':' || w.role || ':' || w.user_id || ':pending'), 0)
                """)).isZero();
    }

    /** A single number from SQL; NULL reads as 0. */
    private static long num(String sql, Object... binds) {
        Object v = dsl.fetchValue(sql, binds);
        return v == null ? 0 : ((Number) v).longValue();
    }

    private static long ownerPending() {
        return num("select pending_paise from member_wallet where user_id = 'u-owner'");
    }
}
