package com.commdesk.ledger.bench;

import com.commdesk.fees.CompiledFeeSchedule;
import com.commdesk.fees.FeeBreakdown;
import com.commdesk.fees.FeeEngine;
import com.commdesk.fees.FeeSchedules;
import com.commdesk.fees.MemberShare;
import com.commdesk.fees.MemberSplitMode;
import com.commdesk.fees.PaymentFacts;
import com.commdesk.fees.RoleAllocation;
import com.commdesk.fees.RoleSplit;
import com.commdesk.fees.SplitEngine;
import com.commdesk.fees.SplitPlan;
import com.commdesk.ledger.LedgerDatabase;
import com.commdesk.ledger.LedgerInvariants;
import com.commdesk.ledger.Ledger;
import com.commdesk.ledger.PaymentLedger;
import com.commdesk.ledger.PaymentGroupCommitter;
import com.commdesk.ledger.PaymentPosting;
import com.commdesk.ledger.testing.TestDatabases;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load generator for the ledger (a command, not a test): posts payments, each with its full
 * journal, the spec's rows, distributions to 4 roles x 3 members and wallet updates, from N
 * threads into a fresh database, and prints payments/s and rows/s. Then checks every invariant.
 *
 * <pre>
 * ./mvnw -q -pl ledger-db -am install -DskipTests
 * ./mvnw -q -pl ledger-db exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=com.commdesk.ledger.bench.LedgerBenchmark -Dexec.args="60 8 64"
 * </pre>
 * Args: seconds (60), threads (8), communities (64), mode: "group" (callers on virtual threads post
 * one payment each through {@link PaymentGroupCommitter} with {@code threads} writer connections) or
 * "single" (one transaction per payment on {@code threads} threads), batch (250: most payments per
 * group commit). PostgreSQL:
 * COMMDESK_TEST_DATABASE_URL, else Testcontainers/embedded (see TestDatabases).
 */
public final class LedgerBenchmark {
    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int communities = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        boolean group = !(args.length > 3 && args[3].equals("single"));
        int batch = args.length > 4 ? Integer.parseInt(args[4]) : 250;
        int callers = group ? Math.max(2_000, 4 * threads * batch) : threads;
        if (seconds < 1 || seconds > 3600 || threads < 1 || threads > 128 || communities < 1 || communities > 10_000
                || batch < 1 || batch > PaymentLedger.MAX_BATCH) {
            throw new IllegalArgumentException("seconds 1..3600, threads 1..128, communities 1..10000, batch 1.." + PaymentLedger.MAX_BATCH);
        }
        try (LedgerDatabase db = LedgerDatabase.open(TestDatabases.freshUrl(), null, null, threads + 2)) {
            List<RoleSplit> roles = List.of(role("owner", 5000), role("admins", 2000), role("moderators", 1000), role("event_team", 2000));
            seed(db, communities, roles);
            PaymentLedger ledger = new PaymentLedger(new Ledger(db.dsl()));
            // Compiled once, as the worker's fee policy does: the load generator shares the cores with PostgreSQL.
            CompiledFeeSchedule fees = FeeEngine.compile(FeeSchedules.recommendedDefault());
            SplitPlan split = SplitEngine.compile(roles);
            AtomicLong posted = new AtomicLong();
            AtomicLong sequence = new AtomicLong();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            PaymentGroupCommitter committer = group
                    ? new PaymentGroupCommitter(ledger, batch, Duration.ofMillis(5), threads, callers) : null;
            ExecutorService pool = group ? Executors.newVirtualThreadPerTaskExecutor() : Executors.newFixedThreadPool(threads);
            long started = System.nanoTime();
            for (int t = 0; t < callers; t++) {
                pool.submit(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    while (System.nanoTime() < deadline) {
                        long n = sequence.incrementAndGet();
                        String community = "bench-" + (n % communities);
                        long amount = 10_000 + random.nextLong(10_000_000);
                        FeeBreakdown b = fees.calculate(new PaymentFacts(amount, "EVENT", "UPI", "KA", "MH"));
                        List<RoleAllocation> shares = split.split(b.netPaise());
                        PaymentPosting posting = new PaymentPosting("bench-" + n, community, "EVENT", "evt-" + n, "order-" + n,
                                "cf-" + n, "UPI", b, shares, null, null, Map.of());
                        if (committer != null) committer.post(posting);
                        else ledger.postPayment(posting);
                        posted.incrementAndGet();
                    }
                    return null;
                });
            }
            long lastCount = 0;
            for (int s = 10; s <= seconds; s += 10) {
                Thread.sleep(10_000);
                long now = posted.get();
                System.out.printf("  t=%3ds  %,8d payments  %,7.0f payments/s (last 10 s)%n", s, now, (now - lastCount) / 10.0);
                lastCount = now;
            }
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.MINUTES);
            if (committer != null) committer.close();
            long elapsedMillis = Math.max(1, (System.nanoTime() - started) / 1_000_000);
            long payments = posted.get();
            long rows = ((Number) db.dsl().fetchValue("""
                    select (select count(*) from journal) + (select count(*) from posting) + (select count(*) from revenue_transaction)
                         + (select count(*) from revenue_distribution) + (select count(*) from platform_revenue)
                    """)).longValue();
            System.out.printf("ledger benchmark (%s): %d %s, %d communities x 12 members, %d s%n", group ? "group commit" : "one transaction per payment",
                    threads, group ? "writer connections, batches of up to " + batch + ", " + callers + " concurrent callers" : "threads",
                    communities, elapsedMillis / 1000);
            System.out.printf("  %,d payments  ->  %,.0f payments/s%n", payments, payments * 1000.0 / elapsedMillis);
            System.out.printf("  %,d rows inserted (journal, postings, revenue rows)  ->  %,.0f rows/s, %.1f rows/payment"
                    + " (+ %d wallet rows updated per payment)%n", rows, rows * 1000.0 / elapsedMillis, rows / (double) Math.max(1, payments), 13);
            LedgerInvariants.Report report = new LedgerInvariants(db.dsl()).check();
            System.out.printf("  invariants: %s (%d journals, %d postings)%n", report.holds() ? "hold" : "VIOLATED " + report.violations(),
                    report.journals(), report.postings());
            if (!report.holds()) System.exit(1);
        }
        System.exit(0);
    }

    private static RoleSplit role(String name, int bps) {
        List<MemberShare> members = new ArrayList<>();
        for (int i = 1; i <= 3; i++) members.add(new MemberShare(name + "-" + i, 1, 0));
        return new RoleSplit(name, bps, MemberSplitMode.EQUAL, members);
    }

    private static void seed(LedgerDatabase db, int communities, List<RoleSplit> roles) {
        for (int c = 0; c < communities; c++) {
            String id = "bench-" + c;
            db.dsl().execute("insert into community (community_id, name, supplier_state) values (?, ?, 'KA')", id, id);
            int position = 0;
            for (RoleSplit r : roles) {
                db.dsl().execute("insert into community_role (community_id, role, share_bps, position) values (?, ?, ?, ?)",
                        id, r.role(), r.shareBps(), position++);
            }
        }
    }
}
