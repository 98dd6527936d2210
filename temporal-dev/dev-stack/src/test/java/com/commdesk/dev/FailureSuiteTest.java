package com.commdesk.dev;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.cashfree.sim.Fault;
import com.commdesk.load.BooksCheck;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The failure suite (docs/failures.md), on the real Temporal server: each scenario runs payments under
 * load, breaks one piece of the platform for real mid-flight, prints what it did, and ends with the books
 * check. Runs only in its own step of .ci/run (profile failure).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FailureSuiteTest {
    /** Offered load of every scenario: this 2-core machine also runs the builds of others. */
    static final double RATE = 2.0;
    static final Duration LOAD_FOR = Duration.ofSeconds(24);
    static final Duration DRAIN = Duration.ofSeconds(180);
    /** How long a broken piece stays broken. */
    static final Duration OUTAGE = Duration.ofSeconds(8);
    /**
     * PostgreSQL's outage is longer: CommDeskDatabaseUnreachable needs a pool that has found every connection broken and
     * still has requests waiting; after an 8 s outage on a quiet machine that was true for 1 s of the scenario's 24.
     */
    static final Duration DATABASE_OUTAGE = Duration.ofSeconds(20);

    static FailureRig rig;

    @BeforeAll
    static void start() throws Exception {
        rig = FailureRig.start();
    }

    /** A scenario that failed with the API down (it did not answer again in time) must not fail every scenario after it. */
    @BeforeEach
    void apiIsUp() throws Exception {
        if (!rig.api().alive()) {
            System.out.println("failure rig: the API JVM is down after the previous scenario; starting it again");
            rig.api().restart();
            rig.api().awaitUp(Duration.ofSeconds(240));
        }
    }

    @AfterAll
    static void stop() {
        if (rig != null) rig.close();
    }

    /** Scenario 8 + 1 runs longer than the others: its API JVM is down for the seconds a JVM takes to start. */
    static final Duration FLEET_LOAD_FOR = Duration.ofSeconds(40);

    @Test
    @Order(1)
    void workerFleetSharesTheLoadAndAWorkerKilledMidFlightLosesNothingAndDoesNothingTwice() throws Exception {
        System.out.println("=== failure scenarios 8 + 1: one API JVM and a fleet of " + rig.liveWorkers().size()
                + " worker JVMs on task queue commdesk-payments; the API SIGKILLed under load and started again on its port;"
                + " a worker SIGKILLed mid-flight while the rest of the fleet stalls, a new one started ===");
        Map<String, Long> before = new HashMap<>();
        rig.liveWorkers().forEach(w -> before.put(w.name, w.posted()));
        FailureLoad load = new FailureLoad(rig, "fleet", RATE, FLEET_LOAD_FOR);
        try (BooksCheck books = new BooksCheck(rig.databaseUrl(), null, null);
             AlertProbe alerts = AlertProbe.start(rig, "fleet")) {
            Future<?> running = load.start();
            // Mid-flight: once the victim has journaled payments of this run and more are on their way.
            AppJvm victim = rig.liveWorkers().get(0);
            while (load.elapsed() < 10 || victim.posted() == before.get(victim.name)) {
                if (load.elapsed() > FLEET_LOAD_FOR.toSeconds()) break;
                Thread.sleep(250);
            }
            long victimPosted = victim.posted() - before.get(victim.name);
            long postedAtKill = books.postedCount(load.prefix);
            victim.kill9();
            System.out.printf(Locale.ROOT, "  [%5.1fs] kill -9 %s (pid %d): it had journaled %d of this run; %d started, %d posted, %d in flight%n",
                    load.elapsed(), victim.name, victim.pid(), victimPosted, load.started(), postedAtKill, load.started() - postedAtKill);
            // The rest of the fleet stalls as well while payments keep arriving (SIGSTOP, as a JVM in a long stop-the-world
            // pause or starved of CPU): no worker takes tasks, which wait in Temporal's task queue; that wait is the queue
            // lag CommDeskWorkflowTaskLag is about.
            for (AppJvm w : rig.liveWorkers()) {
                System.out.printf(Locale.ROOT, "  [%5.1fs] %s stalls (SIGSTOP) for %d s%n", load.elapsed(), w.name, OUTAGE.toSeconds());
                w.pause(OUTAGE);
                System.out.printf(Locale.ROOT, "  [%5.1fs] %s runs again (SIGCONT): %d started, %d posted%n", load.elapsed(), w.name,
                        load.started(), books.postedCount(load.prefix));
            }
            AppJvm replacement = rig.startWorker();
            System.out.printf(Locale.ROOT, "  [%5.1fs] %s started (pid %d) to replace it%n", load.elapsed(), replacement.name, replacement.pid());

            // The API JVM, while payments still arrive: SIGKILL with requests in flight, then the same app on the same
            // port (the simulator's webhook URL names it). Until it answers, POSTs are refused (the client retries with the
            // same Idempotency-Key) and webhooks are not answered (the simulator redelivers them).
            AppJvm api = rig.api();
            long apiPid = api.pid();
            long postedAtApiKill = books.postedCount(load.prefix);
            long feltBeforeApiKill = load.outageFelt();
            api.kill9();
            double apiKilledAt = load.elapsed();
            System.out.printf(Locale.ROOT, "  [%5.1fs] kill -9 the API JVM (pid %d, port %d): %d started, %d posted%n",
                    apiKilledAt, apiPid, api.port, load.started(), postedAtApiKill);
            api.restart();
            api.awaitUp(Duration.ofSeconds(240));
            double apiUpAt = load.elapsed();
            long feltDuringGap = load.outageFelt() - feltBeforeApiKill;
            System.out.printf(Locale.ROOT, "  [%5.1fs] the API JVM answers again on port %d (pid %d), %.1f s after the kill; %d hand-over"
                    + " attempts failed meanwhile (POSTs refused and retried every 0.5 s, webhook deliveries not answered and redelivered)%n",
                    apiUpAt, api.port, api.pid(), apiUpAt - apiKilledAt, feltDuringGap);

            load.awaitAllPosted(running, books, DRAIN);
            replacement.awaitUp(Duration.ofSeconds(240));
            load.report().forEach(l -> System.out.println("  " + l));
            Map<String, Long> perWorker = new LinkedHashMap<>();
            for (AppJvm w : rig.workers()) {
                if (!before.containsKey(w.name) && w != replacement) continue;
                perWorker.put(w.name + (w == victim ? " (killed)" : w == replacement ? " (replacement)" : ""),
                        w.posted() - before.getOrDefault(w.name, 0L));
            }
            System.out.println("  payments journaled per worker JVM (commdesk_payments_posted_total; the killed one as last scraped): " + perWorker);

            // While the fleet stalls no worker takes a task, so none reports a schedule-to-start latency, and the server
            // counts the few tasks handed to the stalled workers' open polls as started at once. Temporal's own backlog age
            // (commdesk_temporal_task_queue_backlog_age_seconds, reported by the API and the workers) grows while the fleet stalls.
            boolean lagged = alerts.firedDuringScenario("CommDeskWorkflowTaskLag");
            // Every payment the API accepted (2xx), before or after its kill, and every one only Cashfree's webhook
            // announced: recorded once, posted once (one journal per order), nothing parked, the books hold.
            assertThat(FailureBooks.check(rig, load)).as("the books after the scenario").isEmpty();
            assertThat(feltDuringGap).as("hand-over attempts that failed while the API JVM was down (refused POSTs, unanswered webhooks)").isPositive();
            assertThat(victimPosted).as("the killed worker had journaled payments of this run").isPositive();
            assertThat(perWorker.values().stream().filter(n -> n > 0).count()).as("workers that journaled payments").isGreaterThanOrEqualTo(2);
            assertThat(lagged).as("CommDeskWorkflowTaskLag evaluates true (without its for:, docs/failures.md)").isTrue();
        }
    }

    @Test
    @Order(2)
    void temporalServerKilledUnderLoadAndRestartedOnItsStateFileLosesNothing() throws Exception {
        System.out.println("=== failure scenario 2: kill -9 the Temporal CLI dev server under load, restart it on the same state file ===");
        FailureLoad load = new FailureLoad(rig, "temporal", RATE, LOAD_FOR);
        try (BooksCheck books = new BooksCheck(rig.databaseUrl(), null, null);
             AlertProbe alerts = AlertProbe.start(rig, "temporal")) {
            Future<?> running = load.start();
            while (load.elapsed() < 10 || books.postedCount(load.prefix) == 0) {
                if (load.elapsed() > LOAD_FOR.toSeconds()) break;
                Thread.sleep(250);
            }
            long postedAtKill = books.postedCount(load.prefix);
            long startedAtKill = load.started();
            long pid = rig.killTemporal();
            System.out.printf(Locale.ROOT, "  [%5.1fs] kill -9 Temporal (pid %d): %d started, %d posted, %d in flight%n",
                    load.elapsed(), pid, load.started(), postedAtKill, load.started() - postedAtKill);
            Thread.sleep(OUTAGE.toMillis());
            long arrivedDuringOutage = load.started() - startedAtKill;
            long t = System.nanoTime();
            rig.restartTemporal();
            System.out.printf(Locale.ROOT, "  [%5.1fs] Temporal restarted on %s (pid %d) after %d s down, answering in %.1f s%n",
                    load.elapsed(), rig.temporalState.getFileName(), rig.temporalPid(), OUTAGE.toSeconds(), (System.nanoTime() - t) / 1e9);

            load.awaitAllPosted(running, books, DRAIN);
            load.report().forEach(l -> System.out.println("  " + l));
            // The API starts payments off the request (PaymentStarter); while Temporal is down each start waits inside the
            // SDK's retries (about 7 s) and then fails to the sweep: what an operator sees is how long the oldest start has
            // waited and the starts that failed. Shown only: the Temporal
            // client's own failure counter, which an 8 s outage barely moves and whose first failures Prometheus cannot
            // see (the series is born at the first failure; docs/failures.md).
            boolean startsDelayed = alerts.firedDuringScenario("CommDeskPaymentStartsDelayed");
            alerts.firedDuringScenario("CommDeskTemporalRequestFailures");
            assertThat(FailureBooks.check(rig, load)).as("the books after the scenario").isEmpty();
            // Payments kept arriving while Temporal was down. Whether a caller noticed depends on timing: the API records
            // a payment and starts its workflow off the request (its sweep retries the start), and a webhook may or may
            // not need Cashfree's retry, so requiring a failed hand-over made this check flaky.
            System.out.printf(Locale.ROOT, "  %d payments arrived while Temporal was down; %d hand-overs a client retried%n",
                    arrivedDuringOutage, load.outageFelt());
            assertThat(arrivedDuringOutage).as("payments arrived during the outage").isPositive();
            assertThat(startsDelayed).as("CommDeskPaymentStartsDelayed evaluates true (without its for:, docs/failures.md)").isTrue();
        }
    }

    /**
     * Scenario 4's outage, each half (503, then no answer): the 60 s in all, under load throughout. Long enough
     * for the activity failures to pass CommDeskActivityFailureRateHigh's threshold (0.5 a second over 5 minutes):
     * 16 s of outage did not (docs/failures.md).
     */
    static final Duration CASHFREE_OUTAGE = Duration.ofSeconds(30);
    static final Duration CASHFREE_LOAD_FOR = Duration.ofSeconds(70);

    @Test
    @Order(3)
    void cashfreeDownThenHangingUnderLoadTheBacklogDrainsAfterRecovery() throws Exception {
        System.out.println("=== failure scenario 4: Cashfree down (503 for " + CASHFREE_OUTAGE.toSeconds() + " s, then no answer for "
                + CASHFREE_OUTAGE.toSeconds() + " s) under load ===");
        FailureLoad load = new FailureLoad(rig, "cashfree", RATE, CASHFREE_LOAD_FOR);
        try (BooksCheck books = new BooksCheck(rig.databaseUrl(), null, null);
             AlertProbe alerts = AlertProbe.start(rig, "cashfree")) {
            Future<?> running = load.start();
            while (load.elapsed() < 8) Thread.sleep(250);
            long requestsBefore = rig.simulator().requestCount("/pg/");
            rig.simulator().faults().add(Fault.unavailable().lasting(CASHFREE_OUTAGE));
            System.out.printf(Locale.ROOT, "  [%5.1fs] Cashfree answers 503 to every API call; %d started, %d posted%n",
                    load.elapsed(), load.started(), books.postedCount(load.prefix));
            Thread.sleep(CASHFREE_OUTAGE.toMillis());
            rig.simulator().faults().clear();
            rig.simulator().faults().add(Fault.hang().maxHang(CASHFREE_OUTAGE.plusSeconds(5)).lasting(CASHFREE_OUTAGE));
            System.out.printf(Locale.ROOT, "  [%5.1fs] Cashfree stops answering (requests hang until the client times out)%n", load.elapsed());
            Thread.sleep(CASHFREE_OUTAGE.toMillis());
            rig.simulator().faults().clear();
            double recoveredAt = load.elapsed();
            long postedAtRecovery = books.postedCount(load.prefix);
            System.out.printf(Locale.ROOT, "  [%5.1fs] Cashfree answers again: %d started, %d posted, backlog %d; %d Cashfree PG calls during the outage%n",
                    load.elapsed(), load.started(), postedAtRecovery, load.started() - postedAtRecovery,
                    rig.simulator().requestCount("/pg/") - requestsBefore);

            double drainedAt = load.awaitAllPosted(running, books, DRAIN);
            System.out.printf(Locale.ROOT, "  backlog drained %.1f s after recovery%n", drainedAt - recoveredAt);
            load.report().forEach(l -> System.out.println("  " + l));
            boolean alerted = alerts.firedDuringScenario("CommDeskActivityFailureRateHigh");
            assertThat(FailureBooks.check(rig, load)).as("the books after the scenario (nothing parked included)").isEmpty();
            assertThat(alerted).as("CommDeskActivityFailureRateHigh evaluates true").isTrue();
        }
    }

    @Test
    @Order(4)
    void databaseServerCrashedAndRestartedUnderLoadThePlatformReconnectsAndNothingIsHalfWritten() throws Exception {
        // The platform's PostgreSQL is the suite's own server (FailureRig): SIGKILL of every server process mid-flight,
        // down for the outage, then started again on the same data directory and port (WAL replay, crash recovery).
        System.out.println("=== failure scenario 3: the platform's PostgreSQL server SIGKILLed under load, down " + DATABASE_OUTAGE.toSeconds()
                + " s, restarted on its data directory (crash recovery) ===");
        FailureLoad load = new FailureLoad(rig, "database", RATE, LOAD_FOR);
        try (AlertProbe alerts = AlertProbe.start(rig, "database")) {
            Future<?> running = load.start();
            long postedAtCrash;
            try (BooksCheck books = new BooksCheck(rig.databaseUrl(), null, null)) {
                while (load.elapsed() < 8 || books.postedCount(load.prefix) == 0) {
                    if (load.elapsed() > LOAD_FOR.toSeconds()) break;
                    Thread.sleep(250);
                }
                postedAtCrash = books.postedCount(load.prefix);
            }
            long pid = rig.postgres().crash();
            double crashedAt = load.elapsed();
            System.out.printf(Locale.ROOT, "  [%5.1fs] kill -9 PostgreSQL (postmaster pid %d and every backend): %d started, %d posted, %d in flight%n",
                    crashedAt, pid, load.started(), postedAtCrash, load.started() - postedAtCrash);
            long feltBefore = load.outageFelt();
            Thread.sleep(DATABASE_OUTAGE.toMillis());
            long t = System.nanoTime();
            rig.postgres().restart();
            System.out.printf(Locale.ROOT, "  [%5.1fs] PostgreSQL restarted on its data directory after %.1f s down, accepting connections %.1f s"
                    + " after its start (crash recovery included); %d hand-over attempts failed meanwhile%n",
                    load.elapsed(), load.elapsed() - crashedAt, (System.nanoTime() - t) / 1e9, load.outageFelt() - feltBefore);
            List<String> recovery = rig.postgres().recoveryLog();
            recovery.forEach(l -> System.out.println("  PostgreSQL: " + l));

            try (BooksCheck books = new BooksCheck(rig.databaseUrl(), null, null)) {
                load.awaitAllPosted(running, books, DRAIN);
            }
            load.report().forEach(l -> System.out.println("  " + l));
            // What an operator should see for a database outage is the outage: pools with requests waiting and no
            // connection. Shown only: the 5xx ratio, since an 8 s restart is shorter than the pools' 30 s connection wait, so
            // requests waited instead of failing (docs/failures.md).
            boolean unreachable = alerts.firedDuringScenario("CommDeskDatabaseUnreachable");
            alerts.firedDuringScenario("CommDeskApiServerErrors");
            // Every accepted payment recorded and posted once, no journal without its postings, the invariants hold.
            assertThat(FailureBooks.check(rig, load)).as("the books after the scenario").isEmpty();
            assertThat(postedAtCrash).as("payments posted before the crash (it came mid-flight)").isPositive();
            assertThat(recovery).as("the restarted server's log: crash recovery (the server was not shut down)").isNotEmpty();
            assertThat(unreachable).as("CommDeskDatabaseUnreachable evaluates true (without its for:, docs/failures.md)").isTrue();
        }
    }

    /** Rounds of forced deadlocks in scenario 5, one every {@link #DEADLOCK_EVERY}. */
    static final int DEADLOCK_ROUNDS = 5;
    static final Duration DEADLOCK_EVERY = Duration.ofSeconds(3);

    @Test
    @Order(5)
    void deadlocksForcedOnSharedWalletsUnderLoadAreRetriedAndTheBooksHold() throws Exception {
        System.out.println("=== failure scenario 5: deadlocks forced on the community's shared wallets (an intruder locks the member rows,"
                + " then the community row: the opposite of the platform's order) under load ===");
        FailureLoad load = new FailureLoad(rig, "deadlock", RATE, LOAD_FOR);
        long retriedBefore = rig.workerDeadlockRetries();
        try (BooksCheck books = new BooksCheck(rig.databaseUrl(), null, null);
             AlertProbe alerts = AlertProbe.start(rig, "deadlock");
             Connection intruder = DriverManager.getConnection(rig.ownerUrl())) {
            Future<?> running = load.start();
            while (load.elapsed() < 6) Thread.sleep(250);
            int cycles = 0;
            for (int round = 1; round <= DEADLOCK_ROUNDS; round++) {
                long t = System.nanoTime();
                boolean closed = forceOneDeadlock(intruder);
                if (closed) cycles++;
                System.out.printf(Locale.ROOT, "  [%5.1fs] round %d: %s (%.1f s); %d started, %d posted%n", load.elapsed(), round,
                        closed ? "a posting waited for the member rows the intruder held; the intruder then asked for the community row (cycle closed)"
                                : "no posting came for the member rows within 5 s (no cycle)",
                        (System.nanoTime() - t) / 1e9, load.started(), books.postedCount(load.prefix));
                Thread.sleep(DEADLOCK_EVERY.toMillis());
            }
            load.awaitAllPosted(running, books, DRAIN);
            long retried = rig.workerDeadlockRetries() - retriedBefore;
            System.out.printf(Locale.ROOT, "  %d deadlock cycles closed; ledger transactions retried after 40P01 in the worker JVMs"
                    + " (commdesk_ledger_transaction_retries_total{sqlstate=\"40P01\"}): %d%n", cycles, retried);
            load.report().forEach(l -> System.out.println("  " + l));
            boolean alerted = alerts.firedDuringScenario("CommDeskLedgerDeadlocks");
            assertThat(FailureBooks.check(rig, load)).as("the books after the scenario").isEmpty();
            assertThat(cycles).as("deadlock cycles closed").isPositive();
            assertThat(retried).as("deadlock victims retried by the ledger (the retry counter moved)").isPositive();
            assertThat(alerted).as("CommDeskLedgerDeadlocks evaluates true").isTrue();
        }
    }

    /**
     * One deadlock, the opposite lock order of the platform's (changelog 017: community row, then member
     * rows): the intruder locks the demo community's member wallet rows, waits until a platform transaction
     * waits for one of them (it then holds the community row: a posting locks it first), and asks for the
     * community row. The platform's transaction waited first, so its deadlock check (deadlock_timeout, 1 s after
     * it began to wait) usually runs after the cycle closed and before the intruder's: it finds the cycle and is the
     * victim. When the machine is slow the platform's check can run before the cycle closed; then the intruder's check
     * finds it and the intruder is the victim (printed; the scenario asserts over all rounds that the platform retried). Returns whether a platform transaction waited, i.e. the cycle closed.
     */
    private static boolean forceOneDeadlock(Connection intruder) throws Exception {
        intruder.setAutoCommit(false);
        try (var st = intruder.createStatement()) {
            st.execute("set local lock_timeout = '20s'");
            st.executeQuery("select 1 from member_wallet where community_id = 'demo-community' order by role desc, user_id desc for update").close();
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            boolean waited = false;
            while (!waited && System.nanoTime() < deadline) {
                try (var rs = st.executeQuery("select count(*) from pg_locks l join pg_stat_activity a on a.pid = l.pid"
                        + " where not l.granted and a.datname = current_database() and l.pid <> pg_backend_pid()")) {
                    rs.next();
                    waited = rs.getLong(1) > 0;
                }
                if (!waited) Thread.sleep(20);
            }
            if (waited) {
                try {
                    st.executeQuery("select 1 from community_wallet where community_id = 'demo-community' for update").close();
                } catch (java.sql.SQLException e) {
                    if (!"40P01".equals(e.getSQLState())) throw e;
                    // The platform's one deadlock check ran before the intruder closed the cycle (it found none), so the
                    // intruder's own check found it: the intruder is the victim this round and the platform did not retry.
                    System.out.println("    the intruder's deadlock check ran first: the intruder was the victim this round");
                }
            }
            return waited;
        } finally {
            intruder.rollback(); // the intruder changes nothing
            intruder.setAutoCommit(true);
        }
    }

    /** Connections scenario 6 cuts between a posting's commit and its reply. */
    static final int CUTS = 3;

    @Test
    @Order(6)
    void partialFailuresAfterACommitAreRetriedWithoutASecondPosting() throws Exception {
        System.out.println("=== failure scenario 6: partial failures under load: " + CUTS + " worker connections cut between a posting's COMMIT"
                + " and its reply; then a worker JVM SIGKILLed right after it journaled a payment ===");
        FailureLoad load = new FailureLoad(rig, "partial", RATE, LOAD_FOR);
        Map<String, Double> failedBefore = activityFailures();
        try (BooksCheck books = new BooksCheck(rig.databaseUrl(), null, null);
             AlertProbe alerts = AlertProbe.start(rig, "partial")) {
            Future<?> running = load.start();
            while (load.elapsed() < 6) Thread.sleep(250);
            int cutBefore = rig.cutter().cutSoFar();
            rig.cutter().cutAfterNextPostingCommits(CUTS);
            System.out.printf(Locale.ROOT, "  [%5.1fs] proxy armed: the next %d worker connections whose transaction wrote postings are cut after"
                    + " PostgreSQL's COMMIT reply, before the worker reads it; %d started, %d posted%n",
                    load.elapsed(), CUTS, load.started(), books.postedCount(load.prefix));
            while (rig.cutter().cutSoFar() - cutBefore < CUTS && load.elapsed() < LOAD_FOR.toSeconds() + 40) Thread.sleep(100);
            rig.cutter().cutAfterNextPostingCommits(0);
            int cuts = rig.cutter().cutSoFar() - cutBefore;
            System.out.printf(Locale.ROOT, "  [%5.1fs] %d connections cut after a committed posting; %d started, %d posted%n",
                    load.elapsed(), cuts, load.started(), books.postedCount(load.prefix));

            AppJvm victim = rig.liveWorkers().get(0);
            long postedBefore = victim.posted();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (victim.posted() == postedBefore && System.nanoTime() < deadline) Thread.sleep(20);
            boolean afterAPosting = victim.posted() > postedBefore;
            long postedAtKill = books.postedCount(load.prefix);
            victim.kill9();
            System.out.printf(Locale.ROOT, "  [%5.1fs] kill -9 %s (pid %d) %s; %d started, %d posted%n", load.elapsed(), victim.name, victim.pid(),
                    afterAPosting ? "the moment its commdesk_payments_posted_total moved (a posting committed, its activity completion maybe not reported)"
                            : "(it journaled nothing for 10 s)", load.started(), postedAtKill);
            AppJvm replacement = rig.startWorker();
            System.out.printf(Locale.ROOT, "  [%5.1fs] %s started (pid %d) to replace it%n", load.elapsed(), replacement.name, replacement.pid());

            load.awaitAllPosted(running, books, DRAIN);
            replacement.awaitUp(Duration.ofSeconds(240));
            load.report().forEach(l -> System.out.println("  " + l));
            Map<String, Double> failed = activityFailures();
            failed.replaceAll((k, v) -> v - failedBefore.getOrDefault(k, 0.0));
            failed.values().removeIf(v -> v <= 0);
            System.out.println("  activity attempts failed and retried by Temporal in the worker JVMs, the killed one as last scraped"
                    + " (temporal_activity_execution_failed_total, and temporal_local_activity_execution_failed_total as local:<type>): " + failed);
            // Shown, not asserted (docs/failures.md): the rule reads the cut postings' failures (PostToLedger is a local
            // activity; the rule counts local failures too since 2026-12-02), but a handful of failed attempts is far below
            // its 0.5 a second over 5 minutes, and a rule that fired on a handful of retried attempts would be wrong.
            alerts.firedDuringScenario("CommDeskActivityFailureRateHigh");
            assertThat(FailureBooks.check(rig, load)).as("the books after the scenario: one journal per order, retried postings included").isEmpty();
            assertThat(cuts).as("connections cut between a posting's commit and its reply").isPositive();
            assertThat(afterAPosting).as("the worker was killed right after a posting").isTrue();
        }
    }

    @Test
    @Order(7)
    void payoutsUnderLoadApprovedTwiceReplayedAndAWorkerKilledMidTransferAreEachSentOnce() throws Exception {
        System.out.println("=== failure scenario 7: duplicate payouts: payments to a community that pays out (no hold, MANUAL), a settlement of "
                + FailurePayouts.MEMBERS + " payouts each approved by two approvers at once, a worker SIGKILLed as the transfers go out,"
                + " every payout webhook replayed ===");
        FailurePayouts payouts = new FailurePayouts(rig);
        payouts.seed();
        FailureLoad load = new FailureLoad(rig, "payouts", FailurePayouts.COMMUNITY, RATE, Duration.ofSeconds(12));
        try (BooksCheck books = new BooksCheck(rig.databaseUrl(), null, null);
             AlertProbe alerts = AlertProbe.start(rig, "payouts")) {
            load.awaitAllPosted(load.start(), books, DRAIN);
            int released = payouts.releaseHolds();
            String settlementId = payouts.startSettlement("finance-asha");
            var pending = payouts.awaitPayouts(settlementId, "PENDING_APPROVAL", FailurePayouts.MEMBERS, Duration.ofSeconds(120));
            System.out.printf(Locale.ROOT, "  [%5.1fs] %d payments posted, %d holds released; settlement %s requested by finance-asha: %d payouts waiting for approval%n",
                    load.elapsed(), load.planned, released, settlementId, pending.size());

            // One member's bank refuses the account (Cashfree: RECEIVED, then FAILED INVALID_ACCOUNT_FAIL): that payout
            // fails once, its money goes back to the member's available balance, and the failed-payouts alert has its cause.
            String refused = pending.get(pending.size() - 1).path("payoutId").asText();
            rig.simulator().payouts().scenario(refused, com.commdesk.cashfree.sim.PayoutsApi.Scenario.INVALID_ACCOUNT);
            long requestsBefore = rig.simulator().payouts().transferRequests();
            Map<String, Integer> approvals = new java.util.TreeMap<>();
            try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<Integer>> answers = new java.util.ArrayList<>();
                for (var p : pending) {
                    for (String approver : List.of("finance-ravi", "finance-meera")) {
                        answers.add(pool.submit(() -> payouts.approve(p.path("payoutId").asText(), approver)));
                    }
                }
                // Between "transfer sent" and "recorded": kill a worker the moment Cashfree has the first transfer requests.
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (rig.simulator().payouts().transferRequests() == requestsBefore && System.nanoTime() < deadline) Thread.sleep(5);
                AppJvm victim = rig.liveWorkers().get(0);
                long sentAtKill = rig.simulator().payouts().transferRequests() - requestsBefore;
                victim.kill9();
                System.out.printf(Locale.ROOT, "  [%5.1fs] kill -9 %s (pid %d) with %d of %d transfer requests at Cashfree%n",
                        load.elapsed(), victim.name, victim.pid(), sentAtKill, pending.size());
                AppJvm replacement = rig.startWorker();
                System.out.printf(Locale.ROOT, "  [%5.1fs] %s started (pid %d) to replace it%n", load.elapsed(), replacement.name, replacement.pid());
                for (Future<Integer> a : answers) approvals.merge("HTTP " + a.get(), 1, Integer::sum);
            }
            System.out.println("  approvals signalled (each payout by finance-ravi and finance-meera at once): " + approvals);

            var ended = payouts.awaitPayouts(settlementId, p -> p.path("status").asText().equals(
                    p.path("payoutId").asText().equals(refused) ? "FAILED" : "PAID"), FailurePayouts.MEMBERS, Duration.ofSeconds(240));
            System.out.printf(Locale.ROOT, "  [%5.1fs] %d payouts PAID, %s FAILED (the bank refused the account)%n", load.elapsed(),
                    ended.size() - 1, refused);
            Map<String, Integer> late = new java.util.TreeMap<>();
            for (var p : ended) {
                String id = p.path("payoutId").asText();
                rig.simulator().payouts().resendWebhook(id); // Cashfree's SUCCESS again, delivered synchronously
                late.merge("approve after " + p.path("status").asText() + ": HTTP " + payouts.approve(id, "finance-kiran"), 1, Integer::sum);
            }
            Thread.sleep(2000);
            System.out.println("  replayed: every payout's last webhook (SUCCESS, or FAILED for " + refused + ") once more; a third approval after it ended: " + late);

            Map<String, Long> requestsPerPayout = new java.util.TreeMap<>();
            List<String> problems = new java.util.ArrayList<>();
            try (var db = com.commdesk.ledger.LedgerDatabase.open(rig.databaseUrl(), null, null, 1)) {
                for (var p : ended) {
                    String id = p.path("payoutId").asText();
                    boolean paid = !id.equals(refused);
                    long transfers = rig.simulator().payouts().transfers().stream().filter(t -> t.transferId().equals(id)).count();
                    long journals = ((Number) db.dsl().fetchValue("select count(*) from journal where idempotency_key = ?", "payout_paid:payout:" + id)).longValue();
                    long failedJournals = ((Number) db.dsl().fetchValue("select count(*) from journal where idempotency_key = ?",
                            "payout_failed:payout:" + id)).longValue();
                    String status = (String) db.dsl().fetchValue("select status from payout where payout_id = ?", id);
                    requestsPerPayout.put(id, rig.simulator().payouts().transferRequests(id));
                    if (transfers != 1) problems.add(id + ": " + transfers + " Cashfree transfers");
                    if (journals != (paid ? 1 : 0)) problems.add(id + ": " + journals + " PAYOUT_PAID journals");
                    if (failedJournals != (paid ? 0 : 1)) problems.add(id + ": " + failedJournals + " PAYOUT_FAILED journals");
                    if (!(paid ? "PAID" : "FAILED").equals(status)) problems.add(id + ": status " + status + " after the replays");
                }
            }
            System.out.println("  POST /payout/transfers per payout (a repeat carries the same transfer_id): " + requestsPerPayout.values()
                    + "; Cashfree transfers per payout: 1 each unless listed: " + problems);
            load.report().forEach(l -> System.out.println("  " + l));
            boolean alerted = alerts.firedDuringScenario("CommDeskPayoutsFailing");
            assertThat(FailureBooks.check(rig, load)).as("the books after the scenario").isEmpty();
            assertThat(problems).as("one transfer per payout; one PAYOUT_PAID journal per paid payout, one PAYOUT_FAILED for the refused one;"
                    + " each still PAID or FAILED after the replays").isEmpty();
            assertThat(alerted).as("CommDeskPayoutsFailing evaluates true").isTrue();
            assertThat(approvals.getOrDefault("HTTP 202", 0)).as("approvals accepted").isGreaterThanOrEqualTo(FailurePayouts.MEMBERS);
        }
    }

    /** Failed activity attempts by activity type (local activities as local:<type>), summed over every worker JVM started, a killed one as last scraped. */
    private static Map<String, Double> activityFailures() {
        Map<String, Double> out = new java.util.TreeMap<>();
        // Every worker started so far, a killed one as last scraped: a cut posting may have failed in the worker killed after it.
        for (AppJvm w : rig.workers()) {
            for (var sample : w.scrape().samples()) {
                if (sample.name().equals("temporal_activity_execution_failed_total")) {
                    out.merge(sample.labels().getOrDefault("activity_type", "?"), sample.value(), Double::sum);
                } else if (sample.name().equals("temporal_local_activity_execution_failed_total")) {
                    out.merge("local:" + sample.labels().getOrDefault("activity_type", "?"), sample.value(), Double::sum);
                }
            }
        }
        return out;
    }
}
