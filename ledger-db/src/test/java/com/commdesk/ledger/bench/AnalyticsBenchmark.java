package com.commdesk.ledger.bench;

import com.commdesk.ledger.LedgerDatabase;
import com.commdesk.ledger.LedgerInvariants;
import com.commdesk.ledger.analytics.Granularity;
import com.commdesk.ledger.analytics.MonthlyStatements;
import com.commdesk.ledger.analytics.PayoutAnalytics;
import com.commdesk.ledger.analytics.Period;
import com.commdesk.ledger.analytics.PlatformAccounts;
import com.commdesk.ledger.analytics.RevenueAnalytics;
import com.commdesk.ledger.analytics.RollupCompactor;
import com.commdesk.ledger.analytics.ShareAnalytics;
import com.commdesk.ledger.testing.TestDatabases;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.IntConsumer;
import org.jooq.DSLContext;

/**
 * How fast the dashboard's month views answer over a big ledger (a command, not a test). Seeds
 * {@code payments} whole payments over {@code months} months and {@code communities} communities
 * with {@link BulkLedger} (the rollup triggers fire per chunk as they do for the group committer),
 * then times what one month view runs, on the compacted rollups and, first, on the rollups exactly
 * as the inserts left them, and prints p50/p95/p99. Finally it runs the invariant checker, which
 * re-derives every rollup from the raw rows.
 *
 * <pre>
 * ./mvnw -q -pl ledger-db -am install -DskipTests
 * COMMDESK_TEST_DATABASE_URL='jdbc:postgresql://127.0.0.1:5432/test?user=postgres' \
 *   ./mvnw -q -pl ledger-db exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=com.commdesk.ledger.bench.AnalyticsBenchmark -Dexec.args="1000000 12 1000 5000 300"
 * </pre>
 * Args: payments (1,000,000), months (12, ending with the current month), communities (1,000),
 * chunk (5,000 payments per transaction), samples (300 per view). Keep with {@code keep} as a 6th
 * argument to leave the database for a look (its name is printed). {@code -Dbench.reuse=<database>} times a
 * kept database again after bringing its schema up to date (so a database seeded by an older build gets
 * the newer changesets' backfills); with it, {@code -Dbench.last=YYYY-MM} is the last month to sample (a
 * stopped seeding run's last complete month) and {@code -Dbench.compact=true} also compacts, vacuums and
 * times again.
 */
public final class AnalyticsBenchmark {
    public static void main(String[] args) throws Exception {
        int payments = arg(args, 0, 1_000_000);
        int months = arg(args, 1, 12);
        int communities = arg(args, 2, 1_000);
        int chunk = arg(args, 3, 5_000);
        int samples = arg(args, 4, 300);
        if (payments < 1 || months < 1 || months > 24 || communities < 1 || chunk < 1 || chunk > 50_000 || samples < 10) {
            throw new IllegalArgumentException("payments >= 1, months 1..24, communities >= 1, chunk 1..50000, samples >= 10");
        }
        // -Dbench.reuse=<database> on the server of COMMDESK_TEST_DATABASE_URL: time an already seeded (and kept) database again.
        String reuse = System.getProperty("bench.reuse", "");
        // As the database's owner, not the runtime role fresh test databases hand out: the rollups are vacuumed after
        // compaction. The views timed are the same SQL the runtime role runs.
        String url = reuse.isBlank() ? TestDatabases.freshUrls().owner()
                : TestDatabases.withDatabase(System.getenv("COMMDESK_TEST_DATABASE_URL"), reuse);
        boolean keep = args.length > 5 && args[5].equals("keep");
        if (keep) TestDatabases.keep(url); // kept also when the run is stopped while seeding
        System.out.printf("database %s%n", url.replaceAll("password=[^&]*", "password=***"));
        try (LedgerDatabase db = LedgerDatabase.open(url, null, null, 4)) {
            DSLContext dsl = db.dsl();
            YearMonth last = YearMonth.now(BulkLedger.INDIA);
            LocalDate first = last.minusMonths(months - 1L).atDay(1);
            int days = (int) (last.atEndOfMonth().toEpochDay() - first.toEpochDay() + 1);
            if (!reuse.isBlank()) {
                // a database kept by an older build: bring its schema up to date first (the changesets backfill new rollups)
                long m0 = System.nanoTime();
                com.commdesk.ledger.Migrations.migrate(db.dataSource(), false);
                System.out.printf("migrated in %.1f s (%s)%n", (System.nanoTime() - m0) / 1e9, load());
                dsl.execute("alter table posting enable always trigger posting_checks"); // off if a seeding run was stopped
                dsl.execute("analyze");
                printRollupSizes(dsl, "reused");
                // -Dbench.last=YYYY-MM: the last month a stopped seeding run completed (months are sampled up to it)
                YearMonth seeded = YearMonth.parse(System.getProperty("bench.last", last.toString()));
                timeViews(dsl, communities, months, samples, seeded, "reused database");
                if (Boolean.getBoolean("bench.compact")) {
                    compactAndVacuum(dsl);
                    timeViews(dsl, communities, months, samples, seeded, "compacted");
                }
                invariants(dsl);
                return;
            }
            BulkLedger bulk = new BulkLedger(db.dataSource(), amounts());
            bulk.createCommunities("bulk", communities);
            // The books' per-statement posting check (changelog 017's posting_checks) costs the seeder most of its time
            // on this machine; the seeder writes only balanced postings to its own journals and existing accounts, so the
            // check is switched off while seeding and the invariant checker runs over everything at the end. Every
            // other trigger, the rollups' included, fires.
            dsl.execute("alter table posting disable trigger posting_checks");
            List<BulkLedger.Payment> plan = bulk.plan("bulk", communities, first, days, payments, 42);
            long t0 = System.nanoTime();
            for (int i = 0; i < plan.size(); i += chunk) {
                bulk.write(plan.subList(i, Math.min(plan.size(), i + chunk)));
                if ((i / chunk) % 20 == 19) System.out.printf("  seeded %,d payments (%s)%n", i + chunk, load());
            }
            double seedSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("seeded %,d payments (%,d rows of postings) in %.1f s: %,.0f payments/s (%s)%n", payments,
                    count(dsl, "posting"), seedSeconds, payments / seedSeconds, load());
            dsl.execute("analyze");
            printRollupSizes(dsl, "as inserted");

            timeViews(dsl, communities, months, samples, last, "rollups as inserted");
            compactAndVacuum(dsl);
            timeViews(dsl, communities, months, samples, last, "compacted");
            dsl.execute("alter table posting enable always trigger posting_checks");
            invariants(dsl);
            if (keep) System.out.println("kept: " + url.replaceAll("password=[^&]*", "password=***"));
        }
        if (!keep) System.exit(0);
    }

    /** Merges every day's deltas (as after a bulk load of history), then vacuums and analyzes the rollups. */
    static void compactAndVacuum(DSLContext dsl) {
        long c0 = System.nanoTime();
        long removed = new RollupCompactor(dsl).compactAll();
        System.out.printf("compaction removed %,d rows in %.1f s (%s)%n", removed, (System.nanoTime() - c0) / 1e9, load());
        for (String t : List.of("analytics_revenue_delta", "analytics_share_delta", "analytics_account_delta", "analytics_payout_delta",
                "analytics_platform_revenue_delta", "analytics_community_month_delta")) {
            dsl.execute("vacuum analyze " + t);
        }
        printRollupSizes(dsl, "compacted");
    }

    /** Month views (and, once compacted, monthly statements) for random communities among the busiest 50 and random months. */
    static void timeViews(DSLContext dsl, int communities, int months, int samples, YearMonth last, String state) {
        Random random = new Random(7);
        List<YearMonth> monthsList = new ArrayList<>();
        for (int m = 0; m < months; m++) monthsList.add(last.minusMonths(m));
        time("community month view, " + state, samples, i -> communityMonthView(dsl, "bulk-" + random.nextInt(Math.min(communities, 50)),
                Period.of(monthsList.get(random.nextInt(monthsList.size())))));
        time("platform month view, " + state, samples, i -> platformMonthView(dsl, Period.of(monthsList.get(random.nextInt(monthsList.size())))));
        if (state.equals("rollups as inserted")) return;
        time("community monthly statement (data), " + state, Math.max(10, samples / 3),
                i -> new MonthlyStatements(dsl).community("bulk-" + random.nextInt(Math.min(communities, 50)),
                        monthsList.get(random.nextInt(monthsList.size()))));
        time("platform monthly statement (data), " + state, Math.max(10, samples / 3),
                i -> new MonthlyStatements(dsl).platform(monthsList.get(random.nextInt(monthsList.size())), 10));
    }

    static void invariants(DSLContext dsl) {
        long i0 = System.nanoTime();
        LedgerInvariants.Report report = new LedgerInvariants(dsl).check();
        System.out.printf("invariants (incl. every rollup re-derived from the raw rows): %s, %d violations, %.1f s (%s)%n",
                report.holds() ? "hold" : "VIOLATED", report.violations().size(), (System.nanoTime() - i0) / 1e9, load());
        report.violations().stream().limit(5).forEach(v -> System.out.println("  " + v));
    }

    /** What GET /api/v1/analytics/communities/{id}/overview runs for a month. */
    static void communityMonthView(DSLContext dsl, String communityId, Period month) {
        RevenueAnalytics revenue = new RevenueAnalytics(dsl);
        revenue.totals(communityId, month);
        revenue.series(communityId, month, Granularity.DAY);
        revenue.bySource(communityId, month);
        PayoutAnalytics payouts = new PayoutAnalytics(dsl);
        payouts.totals(communityId, month);
        payouts.series(communityId, month, Granularity.DAY);
        new ShareAnalytics(dsl).split(communityId, month);
    }

    /** What GET /api/v1/analytics/platform/overview runs for a month. */
    static void platformMonthView(DSLContext dsl, Period month) {
        new RevenueAnalytics(dsl).overview(null, month, Granularity.DAY, 10);
        PlatformAccounts accounts = new PlatformAccounts(dsl);
        accounts.totals(month);
        accounts.series(month, Granularity.DAY);
        PayoutAnalytics payouts = new PayoutAnalytics(dsl);
        payouts.totals(null, month);
        payouts.series(null, month, Granularity.DAY);
    }

    /** The machine's 1-minute load average, printed with every figure: on 2 cores, anything above 2 means the figures wait for CPU. */
    private static String load() {
        return String.format("load %.1f", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static void time(String what, int samples, IntConsumer view) {
        for (int i = 0; i < Math.min(20, samples); i++) view.accept(i); // warm-up: JIT, plans, caches
        long[] nanos = new long[samples];
        for (int i = 0; i < samples; i++) {
            long t = System.nanoTime();
            view.accept(i);
            nanos[i] = System.nanoTime() - t;
        }
        Arrays.sort(nanos);
        System.out.printf("%-52s n=%d  p50 %6.1f ms  p95 %6.1f ms  p99 %6.1f ms  max %6.1f ms  (%s)%n", what, samples,
                ms(nanos, 0.50), ms(nanos, 0.95), ms(nanos, 0.99), nanos[samples - 1] / 1e6, load());
    }

    private static double ms(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }

    private static void printRollupSizes(DSLContext dsl, String when) {
        System.out.printf("rollup rows %s: revenue %,d, shares %,d, accounts %,d, payouts %,d, platform revenue %,d, community months %,d%n",
                when, count(dsl, "analytics_revenue_delta"), count(dsl, "analytics_share_delta"), count(dsl, "analytics_account_delta"),
                count(dsl, "analytics_payout_delta"), count(dsl, "analytics_platform_revenue_delta"),
                count(dsl, "analytics_community_month_delta"));
    }

    private static long count(DSLContext dsl, String table) {
        return ((Number) dsl.fetchValue("select count(*) from " + table)).longValue();
    }

    /** Payment sizes from ₹50 to ₹2,00,000, so fees and splits differ between templates. */
    static long[] amounts() {
        long[] a = new long[32];
        for (int i = 0; i < a.length; i++) a[i] = 5_000L + (long) i * i * 19_531L + i * 7L;
        return a;
    }

    private static int arg(String[] args, int i, int otherwise) {
        return args.length > i ? Integer.parseInt(args[i]) : otherwise;
    }
}
