package com.commdesk.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.fees.FeeBreakdown;
import com.commdesk.fees.FeeEngine;
import com.commdesk.fees.FeeSchedules;
import com.commdesk.fees.PaymentFacts;
import com.commdesk.fees.SplitEngine;
import com.commdesk.ledger.payout.PayoutRepository;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, "Proof": many threads run random interleavings of payments, refunds, chargebacks, refunds
 * Cashfree cancels or fails, hold releases, payout lifecycles (paid, failed, unknown then paid, paid
 * then reversed by the bank), payment reversals, operator retries and duplicated deliveries, over
 * shared members of two communities; every operation is retried at random, and some are delivered
 * twice at once. Afterwards the books must be whole: every invariant (trial balance zero, every
 * projection equal to its postings, ...), no money created or lost (the cash Cashfree and the payout
 * account hold equals what customers paid in less what went out, computed from the test's own record
 * of what succeeded), and exactly one journal per idempotent operation.
 *
 * <p>Seeded and reproducible in what each thread does (thread scheduling aside): the seed is printed;
 * {@code -Dcommdesk.stress.seed=...} repeats it. Bounded: {@code commdesk.stress.seconds} (3 in the
 * build), {@code commdesk.stress.threads} (6). A longer run:
 * <pre>
 * ./mvnw -pl ledger-db verify -Dtest=MoneyConservationStressTest -Dcommdesk.stress.seconds=300 -Dcommdesk.stress.threads=12
 * </pre>
 */
class MoneyConservationStressTest extends LedgerFixture {
    static final List<String> COMMUNITIES = List.of("demo-community", "stress-community");

    record Payment(String key, java.util.UUID transactionId, String communityId, FeeBreakdown breakdown) {}

    record Refund(String id, String paymentKey, RefundPosting.Kind kind, long amountPaise) {}

    /** The test's own record of what succeeded (written only after the ledger said yes). */
    final Map<String, Payment> posted = new ConcurrentHashMap<>();
    final Map<String, Boolean> reversed = new ConcurrentHashMap<>();
    final Map<String, Refund> refundsMade = new ConcurrentHashMap<>();
    final Map<String, String> refundOutcomes = new ConcurrentHashMap<>();
    final Map<String, Long> payoutAmounts = new ConcurrentHashMap<>();
    final Map<String, String> payoutEnds = new ConcurrentHashMap<>();
    final AtomicLong sequence = new AtomicLong();
    final AtomicLong operations = new AtomicLong();
    /** Refusals by code and message start (a refusal is expected: not enough left, already reversed, ...). */
    final Map<String, AtomicLong> refusals = new ConcurrentHashMap<>();
    PayoutRepository payouts;

    @Test
    void randomInterleavingsNeverCreateOrLoseMoney() throws Exception {
        long seed = Long.getLong("commdesk.stress.seed", System.nanoTime());
        long seconds = Long.getLong("commdesk.stress.seconds", 3);
        int threads = Integer.getInteger("commdesk.stress.threads", 6);
        System.out.printf("MoneyConservationStressTest: seed %d (-Dcommdesk.stress.seed=%d to repeat), %d threads, %d s%n",
                seed, seed, threads, seconds);
        setUpCommunities();
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        List<Future<?>> workers = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                Random random = new Random(seed + 7919L * t);
                workers.add(pool.submit(() -> {
                    while (System.nanoTime() < deadline) step(random, pool);
                    return null;
                }));
            }
            for (Future<?> w : workers) w.get();
        }
        // Whatever is still due is released, so every hold has had its chance.
        holds.releaseDueHolds(OffsetDateTime.now().plusYears(1), 10_000);
        System.out.printf("  %d operations: %d payments (%d reversed), %d refunds/chargebacks, %d payouts%n", operations.get(),
                posted.size(), reversed.size(), refundsMade.size(), payoutAmounts.size());
        refusals.forEach((k, v) -> System.out.printf("  refused %5d x %s%n", v.get(), k));

        var report = new LedgerInvariants(dsl).check();
        assertThat(report.violations()).as("every invariant, seed " + seed).isEmpty();
        assertNoMoneyCreatedOrLost(seed);
        assertOneJournalPerOperation(seed);
        assertThat(posted).as("the run did something").isNotEmpty();
    }

    private void setUpCommunities() {
        payouts = new PayoutRepository(core);
        dsl.execute("insert into community (community_id, name, supplier_state, hold_days, payout_policy, min_payout_paise) "
                + "values ('stress-community', 'Stress', 'KA', 0, 'MANUAL', 1)");
        dsl.execute("insert into community_role (community_id, role, share_bps, position) values ('stress-community', 'owner', 6000, 0), "
                + "('stress-community', 'crew', 4000, 1)");
        dsl.execute("insert into community_member (community_id, role, user_id, position) values ('stress-community', 'owner', 'u-owner', 0), "
                + "('stress-community', 'crew', 'u-c1', 0), ('stress-community', 'crew', 'u-c2', 1)");
        dsl.execute("update community set min_payout_paise = 1 where community_id = 'demo-community'");
        for (String c : COMMUNITIES) {
            for (var role : new CommunityRepository(dsl).find(c).orElseThrow().roles()) {
                for (var m : role.members()) {
                    payouts.saveBeneficiary(c, role.role(), m.userId(), "Member", "000111222333", "HDFC0000001", null, m.userId());
                }
            }
        }
    }

    /** One random operation, retried at random (an operator's retry), sometimes delivered twice at once. */
    private void step(Random random, ExecutorService pool) throws Exception {
        int dice = random.nextInt(100);
        Runnable op;
        String name;
        if (dice < 30) { op = pay(random); name = "payment"; }
        else if (dice < 45) { op = refund(random); name = "refund"; }
        else if (dice < 55) { op = refundOutcome(random); name = "refund outcome"; }
        else if (dice < 65) { op = () -> holds.releaseDueHolds(OffsetDateTime.now().plusYears(1), 20); name = "release"; }
        else if (dice < 90) { op = payoutLife(random); name = "payout"; }
        else { op = reversal(random); name = "reversal"; }
        operations.incrementAndGet();
        run(name, op);
        if (random.nextInt(100) < 25) run(name, op); // a retry: must change nothing
    }

    private void run(String name, Runnable op) {
        for (int attempt = 0; ; attempt++) {
            try {
                op.run();
                return;
            } catch (LedgerException e) {
                if (e.retryable() && attempt < 5) continue; // the database was busy: run it again
                refusals.computeIfAbsent(name + ": " + e.code(), k -> new AtomicLong()).incrementAndGet();
                return; // refused for a reason (not enough left, already reversed, ...): nothing written
            }
        }
    }

    private Runnable pay(Random random) {
        String community = COMMUNITIES.get(random.nextInt(COMMUNITIES.size()));
        long amount = 1_000 + random.nextInt(5_000_000);
        String key = "stress-" + sequence.incrementAndGet();
        var config = new CommunityRepository(dsl).find(community).orElseThrow();
        FeeBreakdown b = FeeEngine.calculate(new PaymentFacts(amount, "EVENT", random.nextBoolean() ? "CARD" : "UPI", "KA",
                random.nextBoolean() ? "KA" : "MH"), FeeSchedules.seedExamples());
        PaymentPosting posting = new PaymentPosting(key, community, "EVENT", "evt", "order-" + key, "cf-" + key, "CARD", b,
                SplitEngine.splitRevenueAcrossRoles(b.netPaise(), config.roles()), null, null, Map.of());
        boolean twice = random.nextInt(100) < 20;
        return () -> {
            if (twice) {
                // a duplicated delivery: the same payment posted from two threads at once
                Thread other = Thread.ofVirtual().start(() -> run("payment twice", () -> payments.postPayment(posting)));
                payments.postPayment(posting);
                try {
                    other.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } else {
                payments.postPayment(posting);
            }
            holdQueue.queueHolds(posting.transactionId());
            posted.putIfAbsent(key, new Payment(key, posting.transactionId(), community, b));
        };
    }

    private Payment anyPayment(Random random) {
        List<Payment> all = new ArrayList<>(posted.values());
        return all.isEmpty() ? null : all.get(random.nextInt(all.size()));
    }

    private Runnable refund(Random random) {
        Payment p = anyPayment(random);
        if (p == null) return () -> { };
        long amount = 1 + random.nextInt((int) Math.min(Integer.MAX_VALUE - 1, p.breakdown().amountPaise()));
        RefundPosting.Kind kind = random.nextInt(4) == 0 ? RefundPosting.Kind.CHARGEBACK : RefundPosting.Kind.REFUND;
        String id = "rf-" + sequence.incrementAndGet();
        RefundPosting r = new RefundPosting(id, p.transactionId(), kind, amount, "stress",
                random.nextBoolean() ? RefundPosting.GatewayFee.BORNE_BY_COMMUNITY : RefundPosting.GatewayFee.BORNE_BY_PLATFORM,
                random.nextBoolean() ? RefundPosting.PlatformFee.REFUNDED : RefundPosting.PlatformFee.KEPT);
        return () -> {
            refunds.reserve(r);
            refundsMade.putIfAbsent(id, new Refund(id, p.key(), kind, amount));
            if (kind == RefundPosting.Kind.CHARGEBACK) refundOutcomes.put(id, "SUCCEEDED");
        };
    }

    /** Cashfree's answer for a pending refund: SUCCESS, CANCELLED or FAILED. */
    private Runnable refundOutcome(Random random) {
        List<Refund> pending = refundsMade.values().stream().filter(r -> !refundOutcomes.containsKey(r.id())).toList();
        if (pending.isEmpty()) return () -> { };
        Refund r = pending.get(random.nextInt(pending.size()));
        int answer = random.nextInt(3);
        return () -> {
            if (answer == 0) {
                refunds.settle(r.id(), "cf-" + r.id());
                refundOutcomes.put(r.id(), "SUCCEEDED");
            } else {
                refunds.cancel(r.id(), answer == 1 ? RefundLedger.Status.CANCELLED : RefundLedger.Status.FAILED, "Cashfree", null);
                refundOutcomes.put(r.id(), answer == 1 ? "CANCELLED" : "FAILED");
            }
        };
    }

    /** A settlement of one community, and each of its payouts through a random life. */
    private Runnable payoutLife(Random random) {
        String community = COMMUNITIES.get(random.nextInt(COMMUNITIES.size()));
        String settlementId = "stl_stress_" + sequence.incrementAndGet();
        long seed = random.nextLong();
        return () -> {
            for (var p : payouts.openSettlement(settlementId, community, "MANUAL", OffsetDateTime.now(), "finance", Long.MAX_VALUE)) {
                String id = p.payoutId();
                try {
                    payouts.lock(id);
                } catch (LedgerException e) {
                    if (e.code() != LedgerException.Code.INSUFFICIENT_FUNDS) throw e;
                    payouts.release(id, "FAILED", "insufficient funds"); // a refund took the money meanwhile
                    payoutEnds.putIfAbsent(id, "NOT_LOCKED");
                    continue;
                }
                payoutAmounts.putIfAbsent(id, p.amountPaise());
                // Each payout's fate depends on the seed and the payout only, so a retried operation decides the same.
                switch (new Random(seed ^ id.hashCode()).nextInt(4)) {
                    case 0 -> {
                        payouts.markPaid(id);
                        payoutEnds.put(id, "PAID");
                    }
                    case 1 -> {
                        payouts.release(id, "FAILED", "bank refused");
                        payoutEnds.put(id, "FAILED");
                    }
                    case 2 -> {
                        // unknown outcome: the money stays locked; later Cashfree says SUCCESS, and the answer arrives twice
                        payouts.markPaid(id);
                        payouts.markPaid(id);
                        payoutEnds.put(id, "PAID");
                    }
                    default -> {
                        payouts.markPaid(id);
                        payouts.reversePaid(id, "account closed");
                        payoutEnds.put(id, "REVERSED");
                    }
                }
            }
        };
    }

    private Runnable reversal(Random random) {
        Payment p = anyPayment(random);
        if (p == null) return () -> { };
        return () -> {
            if (payments.reversePayment(p.key(), "compensated").isPresent()) reversed.put(p.key(), true);
        };
    }

    /** Cash at Cashfree and in the payout account = paid in − Cashfree's fees − refunds paid − payouts paid, from the test's own record. */
    private void assertNoMoneyCreatedOrLost(long seed) {
        long in = 0, fees = 0;
        for (Payment p : posted.values()) {
            if (reversed.containsKey(p.key())) continue;
            in += p.breakdown().amountPaise();
            fees += p.breakdown().gatewayFeePaise() + p.breakdown().gatewayFeeGstPaise();
        }
        long refundsPaid = refundsMade.values().stream().filter(r -> "SUCCEEDED".equals(refundOutcomes.get(r.id())))
                .mapToLong(Refund::amountPaise).sum();
        long payoutsPaid = payoutAmounts.entrySet().stream().filter(e -> "PAID".equals(payoutEnds.get(e.getKey())))
                .mapToLong(Map.Entry::getValue).sum();
        // The same four figures as the books' own rows have them: where the two records part, this says which.
        assertThat(List.of(in, fees, refundsPaid, payoutsPaid)).as("paid in, fees, refunds paid, payouts paid: the test's record vs the rows"
                + " (seed " + seed + ")").containsExactly(
                num("select coalesce(sum(gross_amount_paise), 0) from revenue_transaction rt "
                        + "where not exists (select 1 from journal x where x.reverses_journal_id = rt.journal_id)"),
                num("select coalesce(sum(payment_gateway_fee_paise + payment_gateway_gst_paise), 0) from revenue_transaction rt "
                        + "where not exists (select 1 from journal x where x.reverses_journal_id = rt.journal_id)"),
                num("select coalesce(sum(r.amount_paise), 0) from refund r join refund_outcome o using (refund_id) where o.outcome = 'SUCCEEDED'"),
                num("select coalesce(sum(amount_paise), 0) from payout where paid_journal_id is not null and reversed_journal_id is null"));
        long heldCash = balance(AccountCodes.CASHFREE_CLEARING) + balance(AccountCodes.CASHFREE_PAYOUT_BALANCE);
        assertThat(heldCash).as("cash held = in - fees - refunds paid - payouts paid (seed " + seed + ")")
                .isEqualTo(in - fees - refundsPaid - payoutsPaid);
        long pendingRefunds = refundsMade.values().stream().filter(r -> !refundOutcomes.containsKey(r.id())).mapToLong(Refund::amountPaise).sum();
        assertThat(-balance(AccountCodes.REFUNDS_IN_FLIGHT)).as("refunds reserved, not yet answered").isEqualTo(pendingRefunds);
    }

    private void assertOneJournalPerOperation(long seed) {
        long cancelledRefunds = refundOutcomes.values().stream().filter(o -> !o.equals("SUCCEEDED")).count();
        long settled = refundsMade.values().stream().filter(r -> r.kind() == RefundPosting.Kind.REFUND
                && "SUCCEEDED".equals(refundOutcomes.get(r.id()))).count();
        long paid = payoutEnds.values().stream().filter(e -> e.equals("PAID") || e.equals("REVERSED")).count();
        long failedOrReversed = payoutEnds.values().stream().filter(e -> e.equals("FAILED") || e.equals("REVERSED")).count();
        long reversedPayouts = payoutEnds.values().stream().filter(e -> e.equals("REVERSED")).count();
        String seedNote = " (seed " + seed + ")";
        assertThat(kind("PAYMENT")).as("one journal per payment" + seedNote).isEqualTo(posted.size());
        assertThat(kind("REFUND") + kind("CHARGEBACK")).as("one per refund or chargeback" + seedNote).isEqualTo(refundsMade.size());
        assertThat(kind("REFUND_PAID")).as("one per refund Cashfree paid" + seedNote).isEqualTo(settled);
        assertThat(kind("REVERSAL")).as("one per reversed payment or cancelled refund" + seedNote)
                .isEqualTo(reversed.size() + cancelledRefunds);
        assertThat(kind("PAYOUT_LOCK")).as("one lock per locked payout" + seedNote).isEqualTo(payoutAmounts.size());
        assertThat(kind("PAYOUT_PAID")).isEqualTo(paid);
        assertThat(kind("PAYOUT_FAILED")).isEqualTo(failedOrReversed);
        assertThat(kind("PAYOUT_REVERSED")).isEqualTo(reversedPayouts);
        assertThat(kind("RELEASE")).as("one per released hold" + seedNote)
                .isEqualTo(num("select count(*) from wallet_hold where released_journal_id is not null"));
        assertThat(num("select count(*) - count(distinct idempotency_key) from journal")).isZero();
    }

    private long kind(String kind) {
        return num("select count(*) from journal where kind = ?", kind);
    }
}
