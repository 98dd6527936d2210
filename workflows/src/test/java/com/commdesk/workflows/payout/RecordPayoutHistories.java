package com.commdesk.workflows.payout;

import com.commdesk.workflows.payout.PayoutTypes.PayoutDecision;
import com.commdesk.workflows.payout.PayoutTypes.PayoutRequest;
import com.commdesk.workflows.payout.PayoutTypes.PayoutStage;
import com.commdesk.workflows.payout.PayoutTypes.PayoutStatus;
import com.commdesk.workflows.payout.PayoutTypes.SettlementRequest;
import com.commdesk.workflows.payout.PayoutTypes.SettlementResult;
import com.commdesk.workflows.payout.PayoutTypes.TransferResult;
import com.commdesk.workflows.payout.PayoutTypes.TransferUpdate;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Records histories of PayoutWorkflow, SettlementWorkflow and SettlementCycleWorkflow for
 * {@link PayoutWorkflowReplayTest} (a tool, not a test), with {@link FakePayoutActivities}. Run it
 * when a version of these workflows is released, and commit its output; never regenerate old files:
 * <pre>
 * cd workflows &amp;&amp; ../mvnw -q test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=com.commdesk.workflows.payout.RecordPayoutHistories -Dexec.args="v1"
 * </pre>
 */
public final class RecordPayoutHistories {
    static final String COMMUNITY = "demo-community";

    public static void main(String[] args) throws Exception {
        String release = args.length > 0 ? args[0] : "dev";
        Path dir = Path.of("src/test/resources/histories");
        Files.createDirectories(dir);
        if (args.length > 1 && args[1].equals("v0-polls-past-a-block-at-deploy")) {
            v0PollsPastABlockAtDeploy(dir, release);
            System.exit(0);
        }
        if (args.length > 1) { // one scenario only: "<release> reapproval-while-superseded-recorded"
            try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
                Recorder r = Recorder.started(env, dir, release);
                switch (args[1]) {
                    case "reapproval-while-superseded-recorded" -> reapprovalWhileSupersededRecorded(r);
                    case "refusals-after-success" -> refusalsAfterSuccess(r);
                    default -> throw new IllegalArgumentException("no single scenario " + args[1]);
                }
            }
            System.exit(0);
        }
        try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
            Recorder r = Recorder.started(env, dir, release);
            FakePayoutActivities fake = r.fake();
            WorkflowClient client = r.client();

            // PayoutWorkflow, started on its own (as a settlement would).
            r.payout("paid-by-webhook", false, f -> {}, wf -> {
                await(wf, PayoutStage.AWAITING_RESULT);
                TransferUpdate success = new TransferUpdate("evt-1", "SUCCESS", "COMPLETED", "done", "cf-1");
                wf.transferUpdate(success);
                wf.transferUpdate(success); // a duplicated webhook
            });
            r.payout("paid-by-polling", false, f -> {}, null);
            r.payout("approved-then-paid", true, f -> {}, wf -> {
                await(wf, PayoutStage.AWAITING_APPROVAL);
                wf.approve(new PayoutDecision("system", "the requester: ignored"));
                wf.approve(new PayoutDecision("finance-bob", "ok"));
                wf.approve(new PayoutDecision("finance-bob", "twice"));
            });
            r.payout("rejected", true, f -> {}, wf -> {
                await(wf, PayoutStage.AWAITING_APPROVAL);
                wf.reject(new PayoutDecision("finance-bob", "wrong account"));
            });
            r.payout("approval-timed-out", true, f -> {}, null);
            r.payout("transfer-failed", false, f -> f.statusAnswers.put(id(f, "transfer-failed"),
                    new java.util.ArrayList<>(List.of(FakePayoutActivities.result("PENDING"), FakePayoutActivities.result("FAILED")))), null);
            r.payout("insufficient-funds", false, f -> f.insufficient.add(id(f, "insufficient-funds")), null);
            r.payout("reversed-after-success", false, f -> f.sendAnswers.put(id(f, "reversed-after-success"),
                    FakePayoutActivities.result("SUCCESS")), wf -> {
                await(wf, PayoutStage.PAID);
                wf.transferUpdate(new TransferUpdate("evt-rev", "REVERSED", "REVERSED", "account closed", "cf-1"));
            });

            // Fail closed (v2): an unknown outcome becomes NEEDS_ATTENTION and finance confirms it failed (two people).
            r.payout("attention-confirmed-failed", false, f -> f.statusAnswers.put(id(f, "attention-confirmed-failed"),
                    new java.util.ArrayList<>(List.of(FakePayoutActivities.result("APPROVAL_PENDING")))), wf -> {
                await(wf, PayoutStage.NEEDS_ATTENTION, r.env());
                wf.resolve(new PayoutTypes.PayoutResolution("FAILED", "finance-alice", "FINANCE-ALICE", "one person: ignored"));
                wf.resolve(new PayoutTypes.PayoutResolution("FAILED", "finance-alice", "finance-bob", "the bank shows nothing"));
            });
            // A flag raised before the transfer: the send answers APPROVAL_REQUIRED, an approval follows, then it is sent.
            r.payout("flagged-before-send", false, f -> f.sendSequence.put(id(f, "flagged-before-send"), new java.util.ArrayList<>(List.of(
                    new TransferResult(TransferResult.APPROVAL_REQUIRED, "FLAGGED", "flagged", null), FakePayoutActivities.result("RECEIVED")))),
                    wf -> {
                        await(wf, PayoutStage.AWAITING_APPROVAL, r.env());
                        wf.approve(new PayoutDecision("finance-bob", "checked"));
                    });
            // The wait continues as new after POLLS_PER_RUN polls (its first run is recorded); then a webhook pays it.
            r.payoutFirstRun("polls-continued-as-new", f -> f.statusAnswers.put(id(f, "polls-continued-as-new"),
                    new java.util.ArrayList<>(List.of(FakePayoutActivities.result("PENDING")))), wf ->
                    wf.transferUpdate(new TransferUpdate("evt-late", "SUCCESS", "COMPLETED", "done", "cf-1")));

            // Cashfree's SUCCESS webhook and a two-person "confirm failed" arrive during one poll: Cashfree's answer wins (v3).
            r.payout("success-outranks-resolution", false, f -> {
                f.statusAnswers.put(id(f, "success-outranks-resolution"), new java.util.ArrayList<>(List.of(FakePayoutActivities.result("PENDING"))));
                var once = new java.util.concurrent.atomic.AtomicBoolean();
                r.duringAsk(id(f, "success-outranks-resolution"), (wf, n) -> {
                    if (!"NEEDS_ATTENTION".equals(f.statuses.get(id(f, "success-outranks-resolution"))) || !once.compareAndSet(false, true)) return;
                    wf.transferUpdate(new TransferUpdate("evt-ok", "SUCCESS", "COMPLETED", "paid", "cf-1"));
                    wf.resolve(new PayoutTypes.PayoutResolution("FAILED", "finance-alice", "finance-bob", "bank shows nothing"));
                });
            }, null);
            // A resolution that arrives during the last poll of a run is acted on instead of continuing as new (v3).
            r.payout("resolution-in-last-poll-of-run", false, f -> {
                f.statusAnswers.put(id(f, "resolution-in-last-poll-of-run"), new java.util.ArrayList<>(List.of(FakePayoutActivities.result("PENDING"))));
                r.duringAsk(id(f, "resolution-in-last-poll-of-run"), (wf, n) -> {
                    if (n == PayoutWorkflowImpl.POLLS_PER_RUN) {
                        wf.resolve(new PayoutTypes.PayoutResolution("FAILED", "finance-alice", "finance-bob", "bank shows nothing"));
                    }
                });
            }, null);

            // Cashfree's SUCCESS taken in while a two-person "confirm failed" releases the money: posted as paid after all (v4).
            r.payout("success-during-release", false, f -> {
                String p = id(f, "success-during-release");
                r.resolvedOnceItNeedsAttention(p, new PayoutTypes.PayoutResolution("FAILED", "finance-alice", "finance-bob", "bank shows nothing"));
                var before = f.duringRelease;
                f.duringRelease = released -> {
                    before.accept(released);
                    if (released.equals(p)) r.stub(p).transferUpdate(new TransferUpdate("evt-ok", "SUCCESS", "COMPLETED", "paid", "cf-1"));
                };
            }, null);
            // A one-person "confirm paid", then Cashfree's FAILED webhook: the money comes back like after a reversal (v4).
            r.payout("failed-after-confirmed-paid", false, f -> {
                String p = id(f, "failed-after-confirmed-paid");
                r.resolvedOnceItNeedsAttention(p, new PayoutTypes.PayoutResolution("PAID", "finance-alice", null, "dashboard shows it paid"));
                var before = f.duringMarkPaid;
                f.duringMarkPaid = paid -> {
                    before.accept(paid);
                    if (paid.equals(p)) {
                        r.stub(p).transferUpdate(new TransferUpdate("evt-fail", "FAILED", "INVALID_ACCOUNT_FAIL", "no such account", "cf-1"));
                    }
                };
            }, null);

            // Cashfree's REVERSED signalled while the end-of-window ask runs: acted on after the ask (v6).
            r.payout("reversed-during-final-ask", false, f -> {
                String p = id(f, "reversed-during-final-ask");
                f.statusAnswers.put(p, new java.util.ArrayList<>(List.of(FakePayoutActivities.result("SUCCESS"))));
                var once = new java.util.concurrent.atomic.AtomicBoolean();
                r.duringAsk(p, (wf, n) -> {
                    if ("PAID".equals(f.statuses.get(p)) && once.compareAndSet(false, true)) {
                        wf.transferUpdate(new TransferUpdate("evt-rev", "REVERSED", "ACCOUNT_CLOSED", "account closed", "cf-1"));
                    }
                });
            }, null);
            // The poll's SUCCESS and Cashfree's REVERSED webhook taken in together: reversed at once, no window-long wait (v6).
            r.payout("success-and-reversed-together", false, f -> {
                String p = id(f, "success-and-reversed-together");
                f.statusAnswers.put(p, new java.util.ArrayList<>(List.of(FakePayoutActivities.result("SUCCESS"))));
                var once = new java.util.concurrent.atomic.AtomicBoolean();
                r.duringAsk(p, (wf, n) -> {
                    if (once.compareAndSet(false, true)) {
                        wf.transferUpdate(new TransferUpdate("evt-rev", "REVERSED", "ACCOUNT_CLOSED", "account closed", "cf-1"));
                    }
                });
            }, null);

            // Cashfree said FAILED (poll); its SUCCESS webhook arrives while the money is released: the ledger decides (v6).
            r.payout("success-contradicting-failed", false, f -> {
                String p = id(f, "success-contradicting-failed");
                f.statusAnswers.put(p, new java.util.ArrayList<>(List.of(FakePayoutActivities.result("FAILED"))));
                var before = f.duringRelease;
                f.duringRelease = released -> {
                    before.accept(released);
                    if (released.equals(p)) r.stub(p).transferUpdate(new TransferUpdate("evt-ok", "SUCCESS", "COMPLETED", "paid", "cf-1"));
                };
            }, null);

            reapprovalWhileSupersededRecorded(r);

            // SettlementWorkflow with two payouts (started page by page; only its own history is kept).
            fake.launcher = p -> WorkflowClient.start(client.newWorkflowStub(PayoutWorkflow.class, WorkflowOptions.newBuilder()
                    .setTaskQueue(PayoutWorkflow.TASK_QUEUE).setWorkflowId(p.payoutId()).build())::payout, p);
            fake.members = Map.of("u-owner", 700_000L, "u-admin1", 100_000L);
            String settlementId = "stl_" + COMMUNITY + "_manual_" + release;
            SettlementResult settled = client.newWorkflowStub(SettlementWorkflow.class, WorkflowOptions.newBuilder()
                    .setTaskQueue(PayoutWorkflow.TASK_QUEUE).setWorkflowId(settlementId).build())
                    .settle(new SettlementRequest(settlementId, COMMUNITY, "MANUAL", env.currentTimeMillis(), "finance-alice"));
            r.write("settlement-paid", settlementId, null, settled.status());

            // SettlementCycleWorkflow: bounded (two daily cycles, as the tests run it) ...
            fake.members = Map.of();
            String cycleId = SettlementCycleWorkflow.workflowId(COMMUNITY + "-bounded-" + release);
            client.newWorkflowStub(SettlementCycleWorkflow.class, WorkflowOptions.newBuilder().setTaskQueue(PayoutWorkflow.TASK_QUEUE)
                    .setWorkflowId(cycleId).build()).run(COMMUNITY, 2);
            r.write("settlement-cycle-two-daily-cycles", cycleId, null, "completed");

        }
        // ... and unbounded, started with the community id only (as before maxCycles existed): its first
        // run, up to continue-as-new after 30 cycles. A fresh environment: the test server stops skipping
        // time once an abandoned child has outlived its parent, as the bounded run's last settlement did.
        try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
            Recorder r = Recorder.started(env, dir, release);
            FakePayoutActivities fake = r.fake();
            WorkflowClient client = r.client();
            String foreverId = SettlementCycleWorkflow.workflowId(COMMUNITY + "-unbounded-" + release);
            WorkflowStub forever = client.newUntypedWorkflowStub("SettlementCycleWorkflow", WorkflowOptions.newBuilder()
                    .setTaskQueue(PayoutWorkflow.TASK_QUEUE).setWorkflowId(foreverId).build());
            WorkflowExecution first = forever.start(COMMUNITY);
            Thread waiter = new Thread(() -> {
                try {
                    forever.getResult(Void.class); // never returns; lets time skip meanwhile
                } catch (RuntimeException terminated) {
                    // terminated below
                }
            });
            waiter.setDaemon(true);
            waiter.start();
            boolean continued = false;
            for (int i = 0; i < 2400 && !continued; i++) {
                var events = client.fetchHistory(foreverId, first.getRunId()).getEvents();
                continued = events.get(events.size() - 1).getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW;
                if (!continued) Thread.sleep(25);
            }
            if (!continued) throw new IllegalStateException("the unbounded cycle did not continue as new within a minute");
            r.write("settlement-cycle-unbounded-first-run", foreverId, first.getRunId(), "continued as new");
            client.newUntypedWorkflowStub(foreverId).terminate("recorded");
        }
        // A settlement whose payouts stay open past a day of checks: its follow-up continues as new (since
        // settlement-follow-continues-as-new). Its first run and its last (continued) run, paid on day 2.
        try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
            Recorder r = Recorder.started(env, dir, release);
            FakePayoutActivities fake = r.fake();
            WorkflowClient client = r.client();
            String settlementId = "stl_" + COMMUNITY + "_slow_" + release;
            List<String> payouts = List.of("po_slow_1", "po_slow_2");
            fake.pagedPayouts.put(settlementId, payouts);
            payouts.forEach(p -> {
                fake.settlementOf.put(p, settlementId);
                fake.statuses.put(p, "PENDING_APPROVAL");
            });
            SettlementWorkflow wf = client.newWorkflowStub(SettlementWorkflow.class, WorkflowOptions.newBuilder()
                    .setTaskQueue(PayoutWorkflow.TASK_QUEUE).setWorkflowId(settlementId).build());
            WorkflowExecution first = WorkflowClient.start(wf::settle,
                    new SettlementRequest(settlementId, COMMUNITY, "MANUAL", env.currentTimeMillis(), "finance-alice"));
            env.sleep(java.time.Duration.ofDays(1).plusMinutes(1));
            r.write("settlement-follow-continued-as-new", settlementId, first.getRunId(), "continued as new");
            payouts.forEach(p -> fake.statuses.put(p, "PAID"));
            SettlementResult paid = WorkflowStub.fromTyped(client.newWorkflowStub(SettlementWorkflow.class, settlementId))
                    .getResult(SettlementResult.class);
            r.write("settlement-follow-resumed-then-paid", settlementId, null, paid.status());
        }
        // A payout started before payout-fail-closed (the v0 path: no marker, as its histories have) that Cashfree keeps
        // PENDING: since payout-v0-polls-continue-as-new its wait continues as new into the fail-closed wait; a webhook pays it.
        try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(StartedBefore.environment(PayoutWorkflowImpl.FAIL_CLOSED))) {
            Recorder r = Recorder.started(env, dir, release);
            FakePayoutActivities fake = r.fake();
            String workflowId = id(fake, "v0-polls-continued-as-new") + "_" + release;
            r.payoutFirstRun("v0-polls-continued-as-new", f -> f.statusAnswers.put(id(f, "v0-polls-continued-as-new"),
                    new java.util.ArrayList<>(List.of(FakePayoutActivities.result("PENDING")))), wf ->
                    wf.transferUpdate(new TransferUpdate("evt-late", "SUCCESS", "COMPLETED", "done", "cf-1")));
            r.write("payout-v0-resumed-then-paid-by-webhook", workflowId, null, "PAID");
        }
        System.exit(0);
    }

    /**
     * An approval superseded by a flag raised before it was recorded, and a re-approval (seeing the new flag) signalled
     * while it is recorded (review P12). Recorded with v8 code, which dropped the re-approval: escalated, then rejected
     * automatically. Since payout-reapproval-kept the re-approval counts and the payout is paid.
     */
    static void reapprovalWhileSupersededRecorded(Recorder r) throws Exception {
        FakePayoutActivities fake = r.fake();
        var once = new java.util.concurrent.atomic.AtomicBoolean();
        r.payout("reapproval-while-superseded-recorded", true, f -> {
            String p = id(f, "reapproval-while-superseded-recorded");
            f.flagGenerations.put(p, 1);
            f.duringDecision = (payoutId, seen) -> {
                if (!payoutId.equals(p) || !once.compareAndSet(false, true)) return;
                f.flagGenerations.put(p, 2);
                r.stub(p).approve(new PayoutDecision("finance-carol", "checked the new flag", 2));
            };
        }, wf -> {
            await(wf, PayoutStage.AWAITING_APPROVAL);
            wf.approve(new PayoutDecision("finance-bob", "looks fine", 1));
        });
        fake.duringDecision = null;
    }

    /**
     * Cashfree's FAILED after its own SUCCESS while the reversal window runs (review M-2). Recorded with v9 code: (a) paid on
     * Cashfree's SUCCESS, the FAILED is not acted on and the payout ends PAID; (b) paid on finance's word, SUCCESS then FAILED
     * signalled and the end-of-window ask says FAILED: a LATE_UNPOSTED event only, ends PAID; (c) paid on finance's word, the
     * SUCCESS recorded by the ledger but not signalled, then FAILED: the ledger's reversePaid moves nothing, the workflow ends
     * REVERSED. Since payout-paid-contradiction-held the ledger holds each for finance and the workflow ends NEEDS_ATTENTION.
     */
    static void refusalsAfterSuccess(Recorder r) throws Exception {
        TransferUpdate failed = new TransferUpdate("evt-fail", "FAILED", "INVALID_ACCOUNT_FAIL", "no such account", "cf-1");
        r.payout("refusal-after-success-in-window", false, f -> {
            String p = id(f, "refusal-after-success-in-window");
            f.sendAnswers.put(p, FakePayoutActivities.result("SUCCESS"));
            f.cashfreeSuccess.add(p);
            var before = f.duringMarkPaid;
            f.duringMarkPaid = paid -> {
                before.accept(paid);
                if (paid.equals(p)) r.stub(p).transferUpdate(failed);
            };
        }, null);
        r.payout("refusal-after-success-confirmed-paid", false, f -> {
            String p = id(f, "refusal-after-success-confirmed-paid");
            r.resolvedOnceItNeedsAttention(p, new PayoutTypes.PayoutResolution("PAID", "finance-alice", null, "dashboard shows it paid"));
            var before = f.duringMarkPaid;
            f.duringMarkPaid = paid -> {
                before.accept(paid);
                if (!paid.equals(p)) return;
                f.cashfreeSuccess.add(p);
                r.stub(p).transferUpdate(new TransferUpdate("evt-ok", "SUCCESS", "COMPLETED", "paid", "cf-1"));
                r.stub(p).transferUpdate(failed);
                f.statusAnswers.put(p, new java.util.ArrayList<>(List.of(FakePayoutActivities.result("FAILED"))));
            };
        }, null);
        r.payout("refusal-after-unsignalled-success", false, f -> {
            String p = id(f, "refusal-after-unsignalled-success");
            f.cashfreeSuccess.add(p);
            r.resolvedOnceItNeedsAttention(p, new PayoutTypes.PayoutResolution("PAID", "finance-alice", null, "dashboard shows it paid"));
            var before = f.duringMarkPaid;
            f.duringMarkPaid = paid -> {
                before.accept(paid);
                if (paid.equals(p)) r.stub(p).transferUpdate(failed);
            };
        }, null);
    }

    /**
     * A v0 payout (started before payout-fail-closed) that Cashfree keeps PENDING, already 250 polls into its one run when
     * payout-v0-polls-continue-as-new is deployed (review S2): its first run, up to 450 polls. Recorded with v8 code it
     * polls on in that run (the change id answered DEFAULT_VERSION in replay, for good); since
     * payout-v0-polls-continue-as-new-N it continues as new at poll 401.
     */
    static void v0PollsPastABlockAtDeploy(Path dir, String release) throws Exception {
        java.util.Set<String> notYetReleased = java.util.concurrent.ConcurrentHashMap.newKeySet();
        notYetReleased.addAll(List.of(PayoutWorkflowImpl.FAIL_CLOSED, PayoutWorkflowImpl.V0_POLLS_BOUNDED));
        try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(StartedBefore.deployable(notYetReleased))) {
            Recorder r = Recorder.started(env, dir, release);
            String id = "po_v0_polls_past_a_block_at_deploy";
            String workflowId = id + "_" + release;
            r.fake().statusAnswers.put(id, new java.util.ArrayList<>(List.of(FakePayoutActivities.result("PENDING"))));
            PayoutWorkflow wf = r.client().newWorkflowStub(PayoutWorkflow.class, WorkflowOptions.newBuilder()
                    .setTaskQueue(PayoutWorkflow.TASK_QUEUE).setWorkflowId(workflowId).build());
            WorkflowExecution first = WorkflowClient.start(wf::payout, new PayoutRequest(id, "stl_recording", COMMUNITY, "owner",
                    "u-owner", 700_000L, "system", false, null, FakePayoutActivities.TIMINGS));
            java.util.function.IntSupplier asks = () -> r.fake().asks.getOrDefault(id, new java.util.concurrent.atomic.AtomicInteger()).get();
            for (int i = 0; i < 100 && asks.getAsInt() < 250; i++) env.sleep(java.time.Duration.ofMinutes(30));
            notYetReleased.remove(PayoutWorkflowImpl.V0_POLLS_BOUNDED); // deployed; another execution evicts the cached one
            WorkflowClient.start(r.client().newWorkflowStub(PayoutWorkflow.class, WorkflowOptions.newBuilder()
                    .setTaskQueue(PayoutWorkflow.TASK_QUEUE).setWorkflowId("po_evicts_the_cache_" + release).build())::payout,
                    new PayoutRequest("po_evicts_the_cache", "stl_recording", COMMUNITY, "owner", "u-other", 1_000L, "system", false,
                            null, FakePayoutActivities.TIMINGS));
            for (int i = 0; i < 100 && asks.getAsInt() < 450; i++) env.sleep(java.time.Duration.ofMinutes(30));
            r.write("payout-v0-polls-past-a-block-at-deploy", workflowId, first.getRunId(), asks.getAsInt() + " polls");
        }
    }

    static String id(FakePayoutActivities f, String scenario) {
        return "po_" + scenario.replace('-', '_');
    }

    static void await(PayoutWorkflow wf, PayoutStage stage) {
        await(wf, stage, null);
    }

    /** Waits for the stage; with an environment, lets test time pass meanwhile (a minute at a time). */
    static void await(PayoutWorkflow wf, PayoutStage stage, TestWorkflowEnvironment env) {
        for (int i = 0; i < 400; i++) {
            try {
                if (wf.status().stage() == stage) return;
                if (env != null) env.sleep(java.time.Duration.ofMinutes(1));
                else Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException notYet) {
                // not started yet
            }
        }
        throw new IllegalStateException("payout never reached " + stage);
    }

    record Recorder(WorkflowClient client, FakePayoutActivities fake, Path dir, String release, TestWorkflowEnvironment env) {
        /** The three workflows and fresh fake activities registered on {@code env}, which is started; records into {@code dir}. */
        static Recorder started(TestWorkflowEnvironment env, Path dir, String release) {
            Worker worker = env.newWorker(PayoutWorkflow.TASK_QUEUE);
            worker.registerWorkflowImplementationTypes(PayoutWorkflowImpl.class, SettlementWorkflowImpl.class,
                    SettlementCycleWorkflowImpl.class);
            FakePayoutActivities fake = new FakePayoutActivities();
            worker.registerActivitiesImplementations(fake);
            env.start();
            return new Recorder(env.getWorkflowClient(), fake, dir, release, env);
        }

        /** Cashfree answers PENDING; the first poll after the payout needs attention brings finance's resolution. */
        void resolvedOnceItNeedsAttention(String payoutId, PayoutTypes.PayoutResolution resolution) {
            fake.statusAnswers.put(payoutId, new java.util.ArrayList<>(List.of(FakePayoutActivities.result("PENDING"))));
            var once = new java.util.concurrent.atomic.AtomicBoolean();
            duringAsk(payoutId, (wf, n) -> {
                if ("NEEDS_ATTENTION".equals(fake.statuses.get(payoutId)) && once.compareAndSet(false, true)) wf.resolve(resolution);
            });
        }

        /** The running workflow of a payout of this recording. */
        PayoutWorkflow stub(String payoutId) {
            return client.newWorkflowStub(PayoutWorkflow.class, payoutId + "_" + release);
        }

        /** While this payout's n-th poll asks Cashfree, {@code signals} reach its workflow (as webhooks or finance would). */
        void duringAsk(String payoutId, java.util.function.BiConsumer<PayoutWorkflow, Integer> signals) {
            var before = fake.duringAsk;
            fake.duringAsk = (id, n) -> {
                if (before != null) before.accept(id, n);
                if (id.equals(payoutId)) signals.accept(client.newWorkflowStub(PayoutWorkflow.class, id + "_" + release), n);
            };
        }

        /** Records the first run of a payout whose wait continues as new; {@code finish} then ends the last run. */
        void payoutFirstRun(String scenario, Consumer<FakePayoutActivities> arrange, Consumer<PayoutWorkflow> finish) throws Exception {
            String id = id(fake, scenario);
            arrange.accept(fake);
            String workflowId = id + "_" + release;
            PayoutRequest request = new PayoutRequest(id, "stl_recording", COMMUNITY, "owner", "u-owner", 700_000L, "system", false, null,
                    new PayoutTypes.PayoutTimings(java.time.Duration.ofHours(1).toMillis(), java.time.Duration.ofHours(3).toMillis(),
                            java.time.Duration.ofSeconds(30).toMillis(), java.time.Duration.ofSeconds(30).toMillis(),
                            java.time.Duration.ofMinutes(1).toMillis(), java.time.Duration.ofDays(30).toMillis()));
            PayoutWorkflow wf = client.newWorkflowStub(PayoutWorkflow.class, WorkflowOptions.newBuilder()
                    .setTaskQueue(PayoutWorkflow.TASK_QUEUE).setWorkflowId(workflowId).build());
            WorkflowExecution first = WorkflowClient.start(wf::payout, request);
            for (int i = 0; i < 400; i++) {
                var events = client.fetchHistory(workflowId, first.getRunId()).getEvents();
                if (events.get(events.size() - 1).getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW) break;
                env.sleep(java.time.Duration.ofMinutes(10));
            }
            write("payout-" + scenario, workflowId, first.getRunId(), "continued as new");
            PayoutWorkflow running = client.newWorkflowStub(PayoutWorkflow.class, workflowId);
            finish.accept(running);
            WorkflowStub.fromTyped(running).getResult(PayoutStatus.class);
        }

        void payout(String scenario, boolean needsApproval, Consumer<FakePayoutActivities> arrange, Consumer<PayoutWorkflow> operator)
                throws Exception {
            String id = id(fake, scenario);
            arrange.accept(fake);
            PayoutRequest request = new PayoutRequest(id, "stl_recording", COMMUNITY, "owner", "u-owner", 700_000L, "system",
                    needsApproval, null, FakePayoutActivities.TIMINGS);
            String workflowId = id + "_" + release;
            PayoutWorkflow wf = client.newWorkflowStub(PayoutWorkflow.class, WorkflowOptions.newBuilder()
                    .setTaskQueue(PayoutWorkflow.TASK_QUEUE).setWorkflowId(workflowId).build());
            WorkflowClient.start(wf::payout, request);
            PayoutWorkflow running = client.newWorkflowStub(PayoutWorkflow.class, workflowId);
            if (operator != null) operator.accept(running);
            PayoutStatus end = WorkflowStub.fromTyped(running).getResult(PayoutStatus.class);
            write("payout-" + scenario, workflowId, null, end.stage() + " " + (end.reason() == null ? "" : end.reason()));
        }

        void write(String name, String workflowId, String runId, String outcome) throws Exception {
            Path file = dir.resolve(name + "-" + release + ".json");
            var history = runId == null ? client.fetchHistory(workflowId) : client.fetchHistory(workflowId, runId);
            Files.writeString(file, history.toJson(true));
            System.out.println("wrote " + file + " (" + history.getEvents().size() + " events; " + outcome + ")");
        }
    }
}
