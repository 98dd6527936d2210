package com.commdesk.workflows.payment;

import com.commdesk.fees.FeeBreakdown;
import com.commdesk.fees.GstHeads;
import com.commdesk.fees.MemberAllocation;
import com.commdesk.fees.PlatformFeeGst;
import com.commdesk.fees.RoleAllocation;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * In-memory activities for orchestration tests: records every call in order and can fail steps
 * on demand. (The real activities are tested against PostgreSQL and the Cashfree simulator.)
 */
class FakePaymentActivities implements PaymentActivities {
    final List<String> calls = new CopyOnWriteArrayList<>();
    volatile Duration cashfreeDownFor = Duration.ZERO;
    volatile String failVerificationWith;
    volatile String failSettlementWith;
    /** Settlement fails (non-retryably) this many times, then succeeds. */
    volatile int failSettlementTimes;
    volatile FraudVerdict verdict = new FraudVerdict(false, List.of());
    /** Looks (the verify step's, then each later one) that find the order still ACTIVE, before it is paid. */
    volatile int unpaidLooks;
    /** A later look finds the order so (e.g. EXPIRED): refused, as verification refuses it. */
    volatile String lateLookFailsWith;
    /** While set, the verify step waits for it (up to 30 s): the test acts while the step runs. */
    volatile java.util.concurrent.CountDownLatch verifyGate;
    /** The order is PAID but the community does not offer the payment's source type (the verify step's look). */
    volatile boolean sourceNotOffered;
    /** When set ({@code "<payment id>:<stage>"}), that status record waits on {@link #statusGate}, after {@link #statusHeld}. */
    volatile String statusHoldFor;
    volatile java.util.concurrent.CountDownLatch statusGate;
    final java.util.concurrent.CountDownLatch statusHeld = new java.util.concurrent.CountDownLatch(1);

    @Override
    public VerifiedPayment verifyWithCashfree(PaymentRequest request) {
        ActivityInfo info = Activity.getExecutionContext().getInfo();
        calls.add("verify#" + info.getAttempt());
        java.util.concurrent.CountDownLatch gate = verifyGate;
        if (gate != null) {
            try {
                gate.await(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        long downMillis = info.getCurrentAttemptScheduledTimestamp() - info.getScheduledTimestamp();
        if (downMillis < cashfreeDownFor.toMillis()) {
            throw ApplicationFailure.newFailure("Cashfree answered 503", "CashfreeUnavailable");
        }
        if (failVerificationWith != null) {
            throw ApplicationFailure.newNonRetryableFailure(failVerificationWith, PaymentFailures.VERIFICATION_FAILED);
        }
        if (sourceNotOffered) {
            throw ApplicationFailure.newNonRetryableFailure("community 'demo-community' does not offer source type 'EVENT', but"
                    + " Cashfree's payment cf-pay-1 took the money", PaymentFailures.SOURCE_NOT_OFFERED);
        }
        synchronized (this) {
            if (unpaidLooks > 0) {
                unpaidLooks--;
                throw ApplicationFailure.newNonRetryableFailure("order is still ACTIVE, not PAID, 10 minutes after its payment was"
                        + " first verified", PaymentFailures.ORDER_UNPAID);
            }
        }
        return new VerifiedPayment(request.cashfreeOrderId(), "cf-pay-1", request.amountPaise(), "INR", "CARD");
    }

    /** A later look finds the order PAID but its source no longer offered by the community. */
    volatile boolean sourceNotOfferedLate;
    /** Later looks find Cashfree unavailable (retryable) while set. */
    volatile boolean lateLooksUnanswered;

    @Override
    public VerifiedPayment verifyLatePayment(PaymentRequest request) {
        calls.add("late-look");
        if (lateLooksUnanswered) throw ApplicationFailure.newFailure("Cashfree answered 503", "CashfreeUnavailable");
        if (sourceNotOfferedLate) {
            throw ApplicationFailure.newNonRetryableFailure("community 'demo-community' does not offer source type 'EVENT', but"
                    + " Cashfree's payment cf-pay-1 took the money", PaymentFailures.SOURCE_NOT_OFFERED);
        }
        if (lateLookFailsWith != null) {
            throw ApplicationFailure.newNonRetryableFailure(lateLookFailsWith, PaymentFailures.VERIFICATION_FAILED);
        }
        synchronized (this) {
            if (unpaidLooks > 0) {
                unpaidLooks--;
                return null; // still ACTIVE
            }
        }
        return new VerifiedPayment(request.cashfreeOrderId(), "cf-pay-1", request.amountPaise(), "INR", "CARD");
    }

    /** Terminating the order finds it terminated; this many times first, its termination still pending. */
    volatile int terminationPendingAnswers;
    /** Terminating the order finds it paid after all (the customer's attempt succeeded). */
    volatile boolean paidBeforeTerminated;

    @Override
    public VerifiedPayment terminateUnpaidOrder(PaymentRequest request) {
        calls.add("terminate");
        synchronized (this) {
            if (terminationPendingAnswers > 0) {
                terminationPendingAnswers--;
                throw ApplicationFailure.newFailure("order is TERMINATION_REQUESTED", "OrderTerminationPending");
            }
        }
        return paidBeforeTerminated ? new VerifiedPayment(request.cashfreeOrderId(), "cf-pay-1", request.amountPaise(), "INR", "UPI") : null;
    }

    @Override
    public FraudVerdict screenForFraud(PaymentRequest request, VerifiedPayment verified) {
        calls.add("screen");
        return verdict;
    }

    @Override
    public void recordStatus(String paymentId, String stage, String detail) {
        if ((paymentId + ":" + stage).equals(statusHoldFor)) {
            statusHoldFor = null;
            statusHeld.countDown();
            try {
                // Within the local activity's 10 s: a record held longer would time out and run again, unheld.
                if (!statusGate.await(8, java.util.concurrent.TimeUnit.SECONDS)) throw new IllegalStateException("status gate not released");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        calls.add("status:" + stage);
    }

    @Override
    public FeeCalculation calculateFees(PaymentRequest request, VerifiedPayment verified) {
        calls.add("fees");
        long amount = verified.amountPaise();
        long gst = amount * 18 / 100;
        long net = amount - gst;
        GstHeads none = new GstHeads(0, 0, 0);
        return new FeeCalculation(new FeeBreakdown(amount, gst, 0, 0, 0, 0, 0, 0, net,
                new GstHeads(0, 0, gst), none, none, PlatformFeeGst.INCLUDED, "test", 0), "rule-1", 3);
    }

    @Override
    public Allocation allocateShares(String communityId, long netPaise, java.util.List<com.commdesk.fees.RoleSplit> ruleRoles) {
        calls.add("allocate");
        return new Allocation(List.of(new RoleAllocation("owner", 10000, netPaise,
                List.of(new MemberAllocation("u-owner", netPaise)))));
    }

    @Override
    public LedgerPosting postToLedger(PaymentRequest request, VerifiedPayment verified, FeeCalculation fees, Allocation allocation) {
        calls.add("post");
        return new LedgerPosting("tx-" + request.paymentId(), 42, true);
    }

    @Override
    public void reverseLedgerPosting(String paymentId, String reason) {
        calls.add("reverse:" + paymentId);
    }

    @Override
    public HoldsQueued queueSettlement(String transactionId) {
        calls.add("settle");
        if (failSettlementTimes > 0) {
            failSettlementTimes--;
            throw ApplicationFailure.newNonRetryableFailure("settlement store refused", PaymentFailures.INVALID_PAYMENT);
        }
        if (failSettlementWith != null) {
            throw ApplicationFailure.newNonRetryableFailure(failSettlementWith, PaymentFailures.INVALID_PAYMENT);
        }
        return new HoldsQueued(1_000L);
    }

    @Override
    public PayoutHandover handOverToPayouts(String transactionId) {
        calls.add("payout");
        return new PayoutHandover(1, "DAILY");
    }
}
