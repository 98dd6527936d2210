package com.commdesk.ledger.bench;

import com.commdesk.fees.CompiledFeeSchedule;
import com.commdesk.fees.FeeBreakdown;
import com.commdesk.fees.FeeEngine;
import com.commdesk.fees.FeeSchedules;
import com.commdesk.fees.MemberShare;
import com.commdesk.fees.MemberSplitMode;
import com.commdesk.fees.PaymentFacts;
import com.commdesk.fees.RoleSplit;
import com.commdesk.fees.SplitEngine;
import com.commdesk.fees.SplitPlan;
import com.commdesk.ledger.Ledger;
import com.commdesk.ledger.LedgerDatabase;
import com.commdesk.ledger.PaymentLedger;
import com.commdesk.ledger.PaymentPosting;
import com.commdesk.ledger.testing.TestDatabases;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A second throughput command (not a test), robust to a busy machine: posts {@code args[0]} group-commit
 * batches of 250 payments one after another on ONE connection and prints the database server's CPU
 * time per payment (utime + stime of that backend, read from /proc: the server must run on this
 * host) and the wall time per batch. Same rows and database as {@link LedgerBenchmark}.
 * <pre>
 * ./mvnw -q -pl ledger-db exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=com.commdesk.ledger.bench.BatchTiming -Dexec.args="45"
 * </pre>
 */
public final class BatchTiming {
    /** utime + stime of a process, in clock ticks (10 ms). */
    static long cpuTicks(int pid) throws Exception {
        String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat")).split("\\) ")[1].split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    public static void main(String[] args) throws Exception {
        int batches = Integer.parseInt(args[0]);
        try (LedgerDatabase db = LedgerDatabase.open(TestDatabases.freshUrl(), null, null, 1)) {
            List<RoleSplit> roles = new ArrayList<>();
            for (String[] r : new String[][] {{"owner", "5000"}, {"admins", "2000"}, {"moderators", "1000"}, {"event_team", "2000"}}) {
                List<MemberShare> m = new ArrayList<>();
                for (int i = 1; i <= 3; i++) m.add(new MemberShare(r[0] + "-" + i, 1, 0));
                roles.add(new RoleSplit(r[0], Integer.parseInt(r[1]), MemberSplitMode.EQUAL, m));
            }
            for (int c = 0; c < 64; c++) {
                db.dsl().execute("insert into community (community_id, name, supplier_state) values (?, ?, 'KA')", "bench-" + c, "b");
                int pos = 0;
                for (RoleSplit r : roles) db.dsl().execute("insert into community_role (community_id, role, share_bps, position) values (?, ?, ?, ?)", "bench-" + c, r.role(), r.shareBps(), pos++);
            }
            var ledger = new PaymentLedger(new Ledger(db.dsl()));
            CompiledFeeSchedule fees = FeeEngine.compile(FeeSchedules.recommendedDefault());
            SplitPlan split = SplitEngine.compile(roles);
            int pid = ((Number) db.dsl().fetchValue("select pg_backend_pid()")).intValue();
            long n = 0;
            long cpu0 = 0;
            long[] times = new long[batches];
            for (int b = 0; b < batches; b++) {
                List<PaymentPosting> batch = new ArrayList<>();
                for (int i = 0; i < 250; i++) {
                    n++;
                    FeeBreakdown fb = fees.calculate(new PaymentFacts(10_000 + (n * 7919) % 10_000_000, "EVENT", "UPI", "KA", "MH"));
                    batch.add(new PaymentPosting("bench-" + n, "bench-" + (n % 64), "EVENT", "evt-" + n, "order-" + n, "cf-" + n, "UPI", fb,
                            split.split(fb.netPaise()), null, null, Map.of()));
                }
                if (b == 5) cpu0 = cpuTicks(pid); // after warm-up
                long t0 = System.nanoTime();
                ledger.postPayments(batch);
                times[b] = System.nanoTime() - t0;
            }
            long ticks = cpuTicks(pid) - cpu0;
            System.out.printf("server CPU: %.1f ms per batch of 250 = %.0f us per payment (backend %d, %d batches after warm-up)%n",
                    ticks * 10.0 / (batches - 5), ticks * 10_000.0 / ((batches - 5) * 250.0), pid, batches - 5);
            long[] sorted = times.clone();
            Arrays.sort(sorted);
            System.out.printf("batches of 250: min %.1f ms, median %.1f ms, p90 %.1f ms -> %.0f payments/s at the median%n",
                    sorted[0] / 1e6, sorted[batches / 2] / 1e6, sorted[batches * 9 / 10] / 1e6, 250 / (sorted[batches / 2] / 1e9));
        }
        System.exit(0);
    }
}
