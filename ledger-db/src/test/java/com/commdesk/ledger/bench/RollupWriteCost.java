package com.commdesk.ledger.bench;

import com.commdesk.fees.CompiledFeeSchedule;
import com.commdesk.fees.FeeBreakdown;
import com.commdesk.fees.FeeEngine;
import com.commdesk.fees.FeeSchedules;
import com.commdesk.fees.PaymentFacts;
import com.commdesk.fees.SplitEngine;
import com.commdesk.fees.SplitPlan;
import com.commdesk.ledger.LedgerDatabase;
import com.commdesk.ledger.Ledger;
import com.commdesk.ledger.PaymentLedger;
import com.commdesk.ledger.PaymentPosting;
import com.commdesk.ledger.testing.TestDatabases;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * What the analytics rollups' triggers (changelog 070) cost the payment path (a command, not a test):
 * posts group-commit batches through {@link PaymentLedger#postPayments} (as the runtime role) with the six
 * analytics triggers enabled and disabled (by the owner), alternating in rounds (so the machine's other load hits both alike),
 * and prints the median payments/s of each and the difference.
 *
 * <pre>
 * ./mvnw -q -pl ledger-db exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=com.commdesk.ledger.bench.RollupWriteCost -Dexec.args="10 20 250 64"
 * </pre>
 * Args: rounds (10), batches per round and mode (20), batch size (250), communities (64).
 */
public final class RollupWriteCost {
    static final List<String[]> TRIGGERS = List.of(new String[] {"revenue_transaction", "analytics_payments"},
            new String[] {"revenue_distribution", "analytics_shares"}, new String[] {"journal", "analytics_reversals"},
            new String[] {"refund", "analytics_refunds"}, new String[] {"posting", "analytics_postings"},
            new String[] {"ledger_account", "analytics_platform_account"});

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int batches = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int size = args.length > 2 ? Integer.parseInt(args[2]) : 250;
        int communities = args.length > 3 ? Integer.parseInt(args[3]) : 64;
        TestDatabases.Urls urls = TestDatabases.freshUrls();
        try (LedgerDatabase db = LedgerDatabase.open(urls.runtime(), null, null, 2);
             LedgerDatabase owner = LedgerDatabase.open(urls.owner(), null, null, 1)) {
            new BulkLedger(db.dataSource(), new long[] {100_000L}).createCommunities("wc", communities);
            PaymentLedger ledger = new PaymentLedger(new Ledger(db.dsl()));
            CompiledFeeSchedule fees = FeeEngine.compile(FeeSchedules.recommendedDefault());
            SplitPlan split = SplitEngine.compile(BulkLedger.ROLES);
            Random random = new Random(1);
            long[] n = {0};
            // warm-up: accounts created, JIT, plans
            post(ledger, fees, split, random, n, communities, size, 4);
            double[] on = new double[rounds], off = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                boolean onFirst = r % 2 == 0;
                for (int k = 0; k < 2; k++) {
                    boolean enabled = (k == 0) == onFirst;
                    for (String[] t : TRIGGERS) owner.dsl().execute("alter table " + t[0] + (enabled ? " enable always" : " disable") + " trigger " + t[1]);
                    long t0 = System.nanoTime();
                    post(ledger, fees, split, random, n, communities, size, batches);
                    double rate = (double) batches * size / ((System.nanoTime() - t0) / 1e9);
                    if (enabled) on[r] = rate;
                    else off[r] = rate;
                }
                System.out.printf("round %d: with rollups %,.0f payments/s, without %,.0f%n", r + 1, on[r], off[r]);
            }
            for (String[] t : TRIGGERS) owner.dsl().execute("alter table " + t[0] + " enable always trigger " + t[1]);
            Arrays.sort(on);
            Arrays.sort(off);
            double mOn = on[rounds / 2], mOff = off[rounds / 2];
            System.out.printf("median: with rollups %,.0f payments/s, without %,.0f payments/s: %+.1f %% (load %.1f)%n", mOn, mOff,
                    (mOn - mOff) * 100 / mOff, java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            // the rollups missed the payments posted while they were off, so only the ledger's own checks apply here
            System.out.println("ledger journals: " + db.dsl().fetchValue("select count(*) from journal"));
        }
        System.exit(0);
    }

    private static void post(PaymentLedger ledger, CompiledFeeSchedule fees, SplitPlan split, Random random, long[] n,
                             int communities, int size, int batches) {
        for (int b = 0; b < batches; b++) {
            List<PaymentPosting> batch = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                long k = ++n[0];
                FeeBreakdown fb = fees.calculate(new PaymentFacts(10_000 + random.nextInt(10_000_000), "EVENT", "UPI", "KA", "MH"));
                batch.add(new PaymentPosting("wc-" + k, "wc-" + random.nextInt(communities), "EVENT", "evt-" + k, "order-" + k, "cf-" + k,
                        "UPI", fb, split.split(fb.netPaise()), null, null, Map.of()));
            }
            for (PaymentLedger.BatchItem item : ledger.postPayments(batch)) {
                if (item.refused() != null) throw item.refused();
            }
        }
    }
}
