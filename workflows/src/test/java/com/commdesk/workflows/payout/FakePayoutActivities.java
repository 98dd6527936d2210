package com.commdesk.workflows.payout;

import com.commdesk.workflows.payout.PayoutTypes.CyclePlan;
import com.commdesk.workflows.payout.PayoutTypes.PayoutRequest;
import com.commdesk.workflows.payout.PayoutTypes.PayoutTimings;
import com.commdesk.workflows.payout.PayoutTypes.SettlementRequest;
import com.commdesk.workflows.payout.PayoutTypes.TransferResult;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * In-memory payout and settlement activities for recording histories (the real ones are tested
 * against PostgreSQL and the Cashfree simulator in the activities module). Each payout's Cashfree
 * answers are scripted per payout id.
 */
class FakePayoutActivities implements PayoutActivities, SettlementActivities {
    static final ZoneId IST = ZoneId.of("Asia/Kolkata");
    /** Short timings: approvals escalate after 1 h, time out after 3 h; reversals are watched for 1 min; attention after 2 h. */
    static final PayoutTimings TIMINGS = new PayoutTimings(Duration.ofHours(1).toMillis(), Duration.ofHours(3).toMillis(),
            Duration.ofSeconds(30).toMillis(), Duration.ofMinutes(2).toMillis(), Duration.ofMinutes(1).toMillis(), Duration.ofHours(2).toMillis());

    final List<String> calls = new CopyOnWriteArrayList<>();
    /** What sendTransfer answers, per payout id, in order; the last one repeats (default RECEIVED). */
    final Map<String, List<TransferResult>> sendSequence = new ConcurrentHashMap<>();
    /** What sendTransfer answers, per payout id (default RECEIVED). */
    final Map<String, TransferResult> sendAnswers = new ConcurrentHashMap<>();
    /** What transferStatus answers, per payout id, in order; the last one repeats (default SUCCESS). */
    final Map<String, List<TransferResult>> statusAnswers = new ConcurrentHashMap<>();
    final Map<String, String> statuses = new ConcurrentHashMap<>();
    final Map<String, String> settlementOf = new ConcurrentHashMap<>();
    final List<String> insufficient = new CopyOnWriteArrayList<>();
    /** Payouts whose transfer request never gets a trustworthy answer (sendTransfer fails, retryably, every time). */
    final List<String> sendUnknown = new CopyOnWriteArrayList<>();
    /** Members (userId -> amount) paid by every settlement opened. */
    volatile Map<String, Long> members = Map.of();
    volatile String policy = "DAILY";

    static TransferResult result(String status) {
        return new TransferResult(status, "SUCCESS".equals(status) ? "COMPLETED" : status, null, "cf-1");
    }

    // ---- settlement ------------------------------------------------------------------------------

    @Override
    public CyclePlan nextCycle(String communityId, long afterMillis) {
        calls.add("nextCycle");
        if ("MANUAL".equals(policy)) return new CyclePlan(communityId, policy, 0, null);
        long cutOff = Instant.ofEpochMilli(afterMillis).atZone(IST).toLocalDate().plusDays(1).atStartOfDay(IST).toInstant().toEpochMilli();
        return new CyclePlan(communityId, policy, cutOff, "stl_" + communityId + "_daily_" + cutOff);
    }

    @Override
    public List<PayoutRequest> openSettlement(SettlementRequest r) {
        calls.add("openSettlement");
        List<PayoutRequest> out = new ArrayList<>();
        members.forEach((user, amount) -> {
            String id = "po_" + r.settlementId() + "_" + user;
            settlementOf.put(id, r.settlementId());
            statuses.putIfAbsent(id, "CREATED");
            PayoutRequest p = new PayoutRequest(id, r.settlementId(), r.communityId(), "owner", user, amount, r.requestedBy(), false, null, TIMINGS);
            opened.put(id, p);
            out.add(p);
        });
        return out;
    }

    @Override
    public int openSettlementCount(SettlementRequest r) {
        return openSettlement(r).size();
    }

    /** Scripted payout ids per settlement for page tests (ids only; no workflows are started). */
    final Map<String, List<String>> pagedPayouts = new ConcurrentHashMap<>();
    /** The payouts each opened settlement made, by id. */
    final Map<String, PayoutRequest> opened = new ConcurrentHashMap<>();
    /** Starts a payout's workflow (the recorder sets it); null: pages only name ids. */
    volatile java.util.function.Consumer<PayoutRequest> launcher;

    @Override
    public com.commdesk.workflows.payout.PayoutTypes.PayoutPage startPayouts(String settlementId, String afterPayoutId, int limit) {
        calls.add("page:" + afterPayoutId);
        List<String> all = pagedPayouts.containsKey(settlementId) ? pagedPayouts.get(settlementId)
                : opened.values().stream().filter(p -> p.settlementId().equals(settlementId)).map(PayoutRequest::payoutId).toList();
        List<String> page = all.stream().filter(id -> afterPayoutId == null || id.compareTo(afterPayoutId) > 0).sorted().limit(limit).toList();
        if (launcher != null) page.stream().map(opened::get).filter(java.util.Objects::nonNull).forEach(launcher);
        return new com.commdesk.workflows.payout.PayoutTypes.PayoutPage(page, page.isEmpty() ? afterPayoutId : page.get(page.size() - 1));
    }

    @Override
    public String refreshSettlement(String settlementId) {
        calls.add("refresh");
        List<String> mine = statuses.entrySet().stream().filter(e -> settlementId.equals(settlementOf.get(e.getKey())))
                .map(Map.Entry::getValue).toList();
        if (mine.stream().anyMatch(s -> s.equals("CREATED") || s.equals("PENDING_APPROVAL"))) return "PENDING";
        if (mine.stream().anyMatch(s -> s.equals("APPROVED") || s.equals("SENT"))) return "APPROVED";
        if (mine.contains("REVERSED")) return "REVERSED";
        return mine.stream().allMatch("PAID"::equals) ? "PAID" : "FAILED";
    }

    // ---- payout ----------------------------------------------------------------------------------

    @Override
    public void lockFunds(String payoutId) {
        calls.add("lock:" + payoutId);
        if (insufficient.contains(payoutId)) {
            throw ApplicationFailure.newNonRetryableFailure("available balance too low", INSUFFICIENT_FUNDS);
        }
        statuses.put(payoutId, "SENT");
    }

    @Override
    public void recordPayoutStatus(String payoutId, String status, String actor, String detail) {
        calls.add("status:" + status);
        statuses.put(payoutId, status);
    }

    @Override
    public void escalate(String payoutId, long waitedMillis) {
        calls.add("escalate");
    }

    @Override
    public void recordDecision(String payoutId, boolean approved, String approver, String note) {
        calls.add("decision:" + approved);
        statuses.put(payoutId, approved ? "APPROVED" : "REJECTED");
    }

    /**
     * Flag generations, per payout (only payouts listed here): a decision seen at an older generation is superseded, as the
     * ledger's is (recorded as an event only), and the send answers APPROVAL_REQUIRED until an approval of the current one.
     */
    final Map<String, Integer> flagGenerations = new ConcurrentHashMap<>();
    final Map<String, Integer> approvedGeneration = new ConcurrentHashMap<>();
    /** Runs inside recordDecisionAsSeen, before it decides: what arrives (a re-approval) while a decision is recorded. */
    volatile java.util.function.BiConsumer<String, Integer> duringDecision;

    @Override
    public void recordDecisionAsSeen(String payoutId, boolean approved, String approver, String note, Integer flagGeneration) {
        var hook = duringDecision;
        if (hook != null) hook.accept(payoutId, flagGeneration);
        Integer current = flagGenerations.get(payoutId);
        if (current != null && flagGeneration != null && flagGeneration < current) {
            calls.add("decision:superseded:" + approver);
            return;
        }
        recordDecision(payoutId, approved, approver, note);
        if (approved && current != null) approvedGeneration.put(payoutId, current);
    }

    @Override
    public TransferResult sendTransfer(String payoutId) {
        calls.add("send:" + payoutId);
        if (sendUnknown.contains(payoutId)) { // e.g. an undocumented 404 answers the POST and every GET: outcome unknown
            throw ApplicationFailure.newFailure("transfer " + payoutId + " outcome unknown: HTTP 404 (not Cashfree's)", "CashfreeUnavailable");
        }
        Integer flagged = flagGenerations.get(payoutId);
        if (flagged != null && approvedGeneration.getOrDefault(payoutId, -1) < flagged) {
            return new TransferResult(TransferResult.APPROVAL_REQUIRED, "FLAGGED", "flagged since the approval", null);
        }
        List<TransferResult> sequence = sendSequence.get(payoutId);
        if (sequence != null && !sequence.isEmpty()) return sequence.size() == 1 ? sequence.get(0) : sequence.remove(0);
        statuses.put(payoutId, "SENT");
        return sendAnswers.getOrDefault(payoutId, result("RECEIVED"));
    }

    /** Runs inside transferStatus, after its answer is chosen: what arrives (webhooks, finance) while Cashfree is asked. */
    volatile java.util.function.BiConsumer<String, Integer> duringAsk;
    /** Payouts whose transferStatus fails (Cashfree unreachable) once they are PAID. */
    final Set<String> askFails = ConcurrentHashMap.newKeySet();
    /** How many times transferStatus was called, per payout id. */
    final Map<String, java.util.concurrent.atomic.AtomicInteger> asks = new ConcurrentHashMap<>();

    @Override
    public TransferResult transferStatus(String payoutId) {
        calls.add("ask:" + payoutId);
        int n = asks.computeIfAbsent(payoutId, k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
        List<TransferResult> answers = statusAnswers.get(payoutId);
        TransferResult answer = answers == null || answers.isEmpty() ? result("SUCCESS") : answers.size() == 1 ? answers.get(0) : answers.remove(0);
        if (answer.failed()) cashfreeSaid.put(payoutId, answer.status());
        var hook = duringAsk;
        if (hook != null) hook.accept(payoutId, n);
        if (askFails.contains(payoutId) && "PAID".equals(statuses.get(payoutId))) throw new IllegalStateException("Cashfree unreachable");
        return answer;
    }

    @Override
    public void markNeedsAttention(String payoutId, String why) {
        calls.add("attention:" + payoutId);
        statuses.put(payoutId, "NEEDS_ATTENTION");
    }

    /** Run inside markPaid / releaseFunds, after the ledger changed: what arrives while the workflow books the outcome. */
    volatile java.util.function.Consumer<String> duringMarkPaid = p -> { };
    volatile java.util.function.Consumer<String> duringRelease = p -> { };

    @Override
    public void markPaid(String payoutId) {
        calls.add("paid:" + payoutId);
        statuses.put(payoutId, "PAID");
        duringMarkPaid.accept(payoutId);
    }

    @Override
    public void markPaidOnFinanceWord(String payoutId) {
        markPaid(payoutId);
    }

    @Override
    public void releaseFunds(String payoutId, String finalStatus, String reason) {
        calls.add("release:" + finalStatus);
        statuses.put(payoutId, finalStatus);
        duringRelease.accept(payoutId);
    }

    /** Run inside reversePaid, after the ledger changed: what arrives while the workflow returns the money. */
    volatile java.util.function.Consumer<String> duringReverse = p -> { };

    /**
     * Payouts whose Cashfree SUCCESS the ledger has recorded (the webhook controller records it before it signals): as the
     * real ledger, a request to return such a payout's money on Cashfree's refusal moves nothing (review M1).
     */
    final Set<String> cashfreeSuccess = ConcurrentHashMap.newKeySet();

    @Override
    public void reversePaid(String payoutId, String reason) {
        if (cashfreeSuccess.contains(payoutId) && !"REVERSED".equals(record(payoutId))) { // the ledger's M1 rule: not returned on a contradiction
            calls.add("not-reversed:" + payoutId);
            duringReverse.accept(payoutId);
            return;
        }
        calls.add("reversed");
        statuses.put(payoutId, "REVERSED");
        duringReverse.accept(payoutId);
    }

    /**
     * Cashfree's status as the ledger recorded it (the controller records it before it signals; only moves forward), when a
     * test sets it; a payout in {@link #cashfreeSuccess} without one reads SUCCESS.
     */
    final Map<String, String> cashfreeRecord = new ConcurrentHashMap<>();
    /** Payouts held for Cashfree's refusal after its SUCCESS (the ledger's refusal_after_success_at): held once only. */
    final Set<String> refusalHeld = ConcurrentHashMap.newKeySet();
    /** Payouts the ledger returned and locked again at once (a relock hold). */
    final Set<String> relockHeld = ConcurrentHashMap.newKeySet();

    private String record(String payoutId) {
        return cashfreeRecord.getOrDefault(payoutId, cashfreeSuccess.contains(payoutId) ? "SUCCESS" : null);
    }

    /** As the ledger (reversePaid): held already answers HELD; Cashfree said SUCCESS and not REVERSED: the hold; else returned. */
    @Override
    public PayoutTypes.PaidAnswerResult returnPaid(PayoutTypes.PaidAnswer answer) {
        String payoutId = answer.payoutId();
        boolean held = "NEEDS_ATTENTION".equals(statuses.get(payoutId)) && (refusalHeld.contains(payoutId) || relockHeld.contains(payoutId));
        if (held || (cashfreeSuccess.contains(payoutId) && !"REVERSED".equals(record(payoutId)))) {
            PayoutTypes.PaidAnswerResult did = hold(payoutId, answer.reason());
            duringReverse.accept(payoutId);
            return did;
        }
        calls.add("reversed");
        statuses.put(payoutId, "REVERSED");
        duringReverse.accept(payoutId);
        return new PayoutTypes.PaidAnswerResult(PayoutTypes.PaidAnswerResult.REVERSED, answer.reason());
    }

    @Override
    public PayoutTypes.PaidAnswerResult holdPaidForFinance(PayoutTypes.PaidAnswer answer) {
        return hold(answer.payoutId(), answer.reason());
    }

    /**
     * What {@code PayoutRepository.holdPaid} checks: a payout held already answers HELD; a PAID payout (its money paid out)
     * Cashfree said SUCCESS for, not REVERSED, never refusal-held before, is held: for its refusal when Cashfree's record
     * says SUCCESS (the money stays paid out), or returned and locked again at once when the record says FAILED/REJECTED
     * (review s6 F-M1). Anything else is recorded for finance.
     */
    private PayoutTypes.PaidAnswerResult hold(String payoutId, String why) {
        String status = statuses.get(payoutId);
        if ("NEEDS_ATTENTION".equals(status) && (refusalHeld.contains(payoutId) || relockHeld.contains(payoutId))) {
            return new PayoutTypes.PaidAnswerResult(PayoutTypes.PaidAnswerResult.HELD, why + "; held for finance");
        }
        String record = record(payoutId);
        if (cashfreeSuccess.contains(payoutId) && "PAID".equals(status) && !refusalHeld.contains(payoutId) && !"REVERSED".equals(record)) {
            if ("SUCCESS".equals(record)) {
                calls.add("held:" + payoutId);
                refusalHeld.add(payoutId);
                statuses.put(payoutId, "NEEDS_ATTENTION");
                return new PayoutTypes.PaidAnswerResult(PayoutTypes.PaidAnswerResult.HELD, why + "; held for finance");
            }
            if ("FAILED".equals(record) || "REJECTED".equals(record)) {
                calls.add("relocked:" + payoutId);
                relockHeld.add(payoutId);
                statuses.put(payoutId, "NEEDS_ATTENTION");
                return new PayoutTypes.PaidAnswerResult(PayoutTypes.PaidAnswerResult.HELD, why + "; returned and locked again");
            }
        }
        calls.add("for-finance:" + payoutId);
        return new PayoutTypes.PaidAnswerResult(PayoutTypes.PaidAnswerResult.UNCHANGED, why);
    }

    /** Payouts whose late SUCCESS cannot be posted (the member no longer has the money). */
    final List<String> moneyGone = new CopyOnWriteArrayList<>();
    /** Cashfree's FAILED/REJECTED/REVERSED answers to a poll, per payout: a late SUCCESS contradicts them. */
    final Map<String, String> cashfreeSaid = new ConcurrentHashMap<>();

    @Override
    public boolean latePaid(String payoutId, String detail) {
        if (moneyGone.contains(payoutId) || cashfreeSaid.containsKey(payoutId) // the ledger holds it for finance
                || "REVERSED".equals(statuses.get(payoutId))) { // returned on Cashfree's FAILED: held too (or not posted)
            calls.add("for-finance:" + payoutId);
            return false;
        }
        calls.add("late-paid:" + payoutId);
        statuses.put(payoutId, "PAID");
        return true;
    }

    @Override
    public void recordForFinance(String payoutId, String detail) {
        calls.add("for-finance:" + payoutId);
    }
}
