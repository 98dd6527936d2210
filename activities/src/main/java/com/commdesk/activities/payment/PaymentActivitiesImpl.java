package com.commdesk.activities.payment;

import com.commdesk.activities.cashfree.CashfreeGateway;
import com.commdesk.activities.cashfree.CashfreeNotFoundException;
import com.commdesk.activities.cashfree.CashfreeOrder;
import com.commdesk.activities.cashfree.CashfreePayment;
import com.commdesk.activities.cashfree.CashfreeRejectedException;
import com.commdesk.activities.cashfree.CashfreeUnavailableException;
import com.commdesk.fees.FeeBreakdown;
import com.commdesk.fees.FeeEngine;
import com.commdesk.fees.FeeValidationException;
import com.commdesk.fees.PaymentFacts;
import com.commdesk.fees.RoleSplit;
import com.commdesk.fees.SplitEngine;
import com.commdesk.ledger.CommunityConfig;
import com.commdesk.ledger.CommunityRepository;
import com.commdesk.ledger.LedgerException;
import com.commdesk.ledger.PaymentOperations;
import com.commdesk.ledger.PaymentLedger;
import com.commdesk.ledger.PaymentPoster;
import com.commdesk.ledger.PaymentPosting;
import com.commdesk.ledger.PostedPayment;
import com.commdesk.ledger.HoldQueue;
import com.commdesk.workflows.payment.Allocation;
import com.commdesk.activities.fraud.FraudScreen;
import com.commdesk.workflows.payment.FeeCalculation;
import com.commdesk.workflows.payment.FraudVerdict;
import com.commdesk.workflows.payment.LedgerPosting;
import com.commdesk.workflows.payment.PaymentActivities;
import com.commdesk.workflows.payment.PaymentFailures;
import com.commdesk.workflows.payment.PaymentRequest;
import com.commdesk.workflows.payment.PayoutHandover;
import com.commdesk.workflows.payment.HoldsQueued;
import com.commdesk.workflows.payment.VerifiedPayment;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The I/O of a payment's steps. Each method is safe to run again: reads are reads, and every write
 * is keyed (posting by payment id, holds and payouts by transaction and member).
 */
public final class PaymentActivitiesImpl implements PaymentActivities {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(PaymentActivitiesImpl.class);
    /** Order tag that ties a Cashfree order to a community; set when the order is created. */
    public static final String COMMUNITY_TAG = "community_id";
    /**
     * Order statuses that may still become PAID: ACTIVE, and TERMINATION_REQUESTED (a termination asked for while a payment
     * attempt was in flight: Cashfree documents that the attempt may still succeed).
     */
    static final java.util.Set<String> NOT_PAID_YET = java.util.Set.of("ACTIVE", "TERMINATION_REQUESTED");
    /** Order statuses on which no payment can be made any more. */
    static final java.util.Set<String> NO_LONGER_PAYABLE = java.util.Set.of("TERMINATED", "EXPIRED");
    /** Retryable: the order's termination was asked for and Cashfree has not ended it yet. */
    public static final String ORDER_TERMINATION_PENDING = "OrderTerminationPending";
    /** Retryable: Cashfree refused to terminate an order that is still payable (its message in the failure's). */
    public static final String ORDER_TERMINATION_REFUSED = "OrderTerminationRefused";
    /** Retryable: the order says no payment can be made on it, and Cashfree lists one taken or pending under it. */
    public static final String ORDER_CONTRADICTS_ITS_PAYMENTS = "OrderContradictsItsPayments";
    /** Retryable: a look at an order the payment awaits was refused or found nothing; asked again, then parked. */
    public static final String ORDER_LOOKUP_REFUSED = "OrderLookupRefused";
    /** A retryable failure type: the order is not paid yet (the step asks again). */
    public static final String ORDER_NOT_PAID_YET = "OrderNotPaidYet";
    /**
     * How long the verify step asks again for an ACTIVE order to be paid before the payment awaits it (AWAITING_PAYMENT):
     * below the stuck alert's 15 minutes. {@code commdesk.payments.unpaid-order-wait}, 1 s to 12 minutes: the step's last
     * attempt may start up to a minute (the backoff's cap) after the wait and take 30 s, and the answer must come before the
     * default {@code commdesk.payments.stuck-after} of 15 minutes (review of 33cf179: 14 could pass it).
     */
    static final Duration UNPAID_ORDER_WAIT = Duration.ofMinutes(10);
    private static final Duration LONGEST_UNPAID_ORDER_WAIT = Duration.ofMinutes(12);
    /** Optional order tag: the customer's GST state (place of supply); without it GST is IGST. */
    public static final String PLACE_OF_SUPPLY_TAG = "place_of_supply";
    /** Optional order tag: the revenue source (EVENT, MEMBERSHIP, ...); a request must not contradict it. */
    public static final String SOURCE_TYPE_TAG = "source_type";
    /** Optional order tag: the ticket price in paise when the customer pays a convenience fee on top (docs/fees.md). */
    public static final String TICKET_PRICE_TAG = TicketPrice.TAG;

    private final CashfreeGateway cashfree;
    private final CommunityRepository communities;
    private final com.commdesk.ledger.community.CommunityOnboarding onboarding;
    private final PaymentLedger ledger;
    private final PaymentPoster poster;
    private final HoldQueue holds;
    private final FeePolicy feePolicy;
    private final FraudScreen fraudScreen;
    private final PaymentOperations operations;
    private final Counter verificationFailures;
    private final Counter paymentsPosted;
    private final Counter grossPaise;
    private final Counter reversals;
    private Duration unpaidOrderWait = UNPAID_ORDER_WAIT;

    /** Posts each payment in a transaction of its own. */
    public PaymentActivitiesImpl(CashfreeGateway cashfree, CommunityRepository communities, PaymentLedger ledger,
                                 HoldQueue holds, FeePolicy feePolicy,
                                 FraudScreen fraudScreen, PaymentOperations operations, MeterRegistry metrics) {
        this(cashfree, communities, ledger, ledger::postPayment, holds, feePolicy, fraudScreen, operations, metrics);
    }

    /** Posts payments through {@code poster}, e.g. a {@link com.commdesk.ledger.PaymentGroupCommitter} shared by the worker. */
    public PaymentActivitiesImpl(CashfreeGateway cashfree, CommunityRepository communities, PaymentLedger ledger, PaymentPoster poster,
                                 HoldQueue holds, FeePolicy feePolicy,
                                 FraudScreen fraudScreen, PaymentOperations operations, MeterRegistry metrics) {
        this.poster = poster;
        this.fraudScreen = fraudScreen;
        this.operations = operations;
        this.cashfree = cashfree;
        this.communities = communities;
        this.onboarding = communities.onboarding();
        this.ledger = ledger;
        this.holds = holds;
        this.feePolicy = feePolicy;
        this.verificationFailures = Counter.builder("commdesk.payments.verification.failures")
                .description("Payments Cashfree did not confirm (possible fraud attempts)").register(metrics);
        this.paymentsPosted = Counter.builder("commdesk.payments.posted").description("Payments journaled").register(metrics);
        this.grossPaise = Counter.builder("commdesk.revenue.gross").baseUnit("paise")
                .description("Gross revenue journaled (telemetry only; the ledger is the record)").register(metrics);
        this.reversals = Counter.builder("commdesk.payments.reversed").description("Payments reversed by compensation").register(metrics);
    }

    /** The verify step's wait for an ACTIVE order ({@link #UNPAID_ORDER_WAIT} unless set); set before the worker starts. */
    public PaymentActivitiesImpl unpaidOrderWait(Duration wait) {
        if (wait == null || wait.compareTo(Duration.ofSeconds(1)) < 0 || wait.compareTo(LONGEST_UNPAID_ORDER_WAIT) > 0) {
            throw new IllegalArgumentException("commdesk.payments.unpaid-order-wait must be 1 s to " + LONGEST_UNPAID_ORDER_WAIT
                    + " (the answer must come before the stuck alert's 15 minutes), not " + wait);
        }
        this.unpaidOrderWait = wait;
        return this;
    }

    /** Which look at Cashfree's order: the verify step's, a look while the payment awaits it, or one after terminating it. */
    private enum Look { VERIFY, LATE, TERMINATED }

    @Override
    public VerifiedPayment verifyWithCashfree(PaymentRequest request) {
        return verify(request, Look.VERIFY);
    }

    @Override
    public VerifiedPayment verifyLatePayment(PaymentRequest request) {
        return verify(request, Look.LATE);
    }

    @Override
    public VerifiedPayment terminateUnpaidOrder(PaymentRequest request) {
        String refusal = null;
        try {
            cashfree.terminateOrder(request.cashfreeOrderId());
        } catch (CashfreeUnavailableException e) {
            throw ApplicationFailure.newFailure("Cashfree unavailable: " + e.getMessage(), "CashfreeUnavailable");
        } catch (CashfreeRejectedException e) {
            if (e.httpStatus() == 401 || e.httpStatus() == 403) {
                // Our credentials were refused: the order may still be payable. Asked again (then parked for a person), never
                // taken as "terminated".
                throw ApplicationFailure.newFailure("Cashfree refused our credentials terminating order " + request.cashfreeOrderId()
                        + ": " + e.getMessage(), "CashfreeUnavailable");
            }
            // Cashfree would not terminate it (already paid or expired, or it refuses the request): the order itself, read
            // next, says what it is; if it is still payable, the refusal is what the person it parks for must read.
            refusal = e.getMessage();
            log.warn("Cashfree refused to terminate order {}: {}", request.cashfreeOrderId(), refusal);
        } catch (CashfreeNotFoundException e) {
            refusal = e.getMessage(); // the look below says what Cashfree has
        }
        try {
            return verify(request, Look.TERMINATED);
        } catch (ApplicationFailure f) {
            // Asked again (then parked): the person it parks for reads why Cashfree would not terminate the order as well.
            if (refusal == null || f.isNonRetryable()) throw f;
            throw ApplicationFailure.newFailure(f.getOriginalMessage() + "; Cashfree refused to terminate it: " + refusal,
                    ORDER_TERMINATION_PENDING.equals(f.getType()) ? ORDER_TERMINATION_REFUSED : f.getType());
        }
    }

    /**
     * {@code LATE}: one look for a payment that awaits its order's payment; null while the order may still be paid.
     * {@code TERMINATED}: one look after asking Cashfree to terminate the order; null once it can no longer be paid.
     */
    private VerifiedPayment verify(PaymentRequest request, Look look) {
        CashfreeOrder order;
        List<CashfreePayment> payments;
        try {
            order = cashfree.fetchOrder(request.cashfreeOrderId());
            payments = cashfree.fetchPayments(request.cashfreeOrderId());
        } catch (CashfreeUnavailableException e) {
            // Retryable: the workflow backs off and asks again.
            throw ApplicationFailure.newFailure("Cashfree unavailable: " + e.getMessage(), "CashfreeUnavailable");
        } catch (CashfreeNotFoundException e) {
            // Once the payment awaits an order Cashfree had, a look that cannot find it is no answer about the customer's
            // money (keys for another merchant, a base URL gone wrong): asked again, then parked for a person, never a refusal
            // that FAILS a payment whose order may still be paid (review s15, M3). The verify step's first look refuses.
            if (look != Look.VERIFY) throw cannotSay(request, e);
            throw rejected("Cashfree has no order '" + request.cashfreeOrderId() + "'");
        } catch (CashfreeRejectedException e) {
            if (look != Look.VERIFY) throw cannotSay(request, e);
            throw rejected("Cashfree rejected the lookup of order '" + request.cashfreeOrderId() + "': " + e.getMessage());
        }
        if (look != Look.VERIFY && NO_LONGER_PAYABLE.contains(order.status())) {
            // A SUCCESS or PENDING payment listed under an order that says no payment can be made on it is a contradiction
            // for a person, never a reason to fail a payment that awaits its order (review s15: L1, and M2 of the follow-up:
            // an order that EXPIRED during the wait with a UPI payment pending). None: terminated, the payment ends unpaid;
            // seen expired by a look, it is refused below as before.
            List<CashfreePayment> taken = payments.stream().filter(p -> "SUCCESS".equals(p.status()) || "PENDING".equals(p.status())).toList();
            if (!taken.isEmpty()) {
                throw ApplicationFailure.newFailure("order " + request.cashfreeOrderId() + " is " + order.status() + " but Cashfree lists "
                        + taken.get(0).status() + " payment " + taken.get(0).cfPaymentId() + ": asked again", ORDER_CONTRADICTS_ITS_PAYMENTS);
            }
            if (look == Look.TERMINATED) return null;
        }
        if (NOT_PAID_YET.contains(order.status())) {
            // The customer may still pay (a UPI payment pending, a claim made on the return from checkout, another attempt on
            // the same order): asked again with the step's backoff for unpaidOrderWait, then answered ORDER_UNPAID, on
            // which the workflow waits for the payment (AWAITING_PAYMENT: its PAYMENT_SUCCESS webhook, or a later look). Not a
            // refusal: refused, its later PAYMENT_SUCCESS could not start the payment again (the workflow id refuses reuse)
            // and the money was found only by reconciliation (s13). Within the stuck alert's 15 minutes, a few dozen asks.
            if (look == Look.LATE) return null;
            if (look == Look.TERMINATED) {
                throw ApplicationFailure.newFailure("order " + request.cashfreeOrderId() + " is " + order.status() + " after Cashfree was"
                        + " asked to terminate it (a payment attempt in flight may still succeed): asked again", ORDER_TERMINATION_PENDING);
            }
            Duration waited = waitedSinceFirstAsked();
            if (waited.compareTo(unpaidOrderWait) < 0) {
                throw ApplicationFailure.newFailure("order " + request.cashfreeOrderId() + " is ACTIVE, not PAID yet (asked for "
                        + waited.toSeconds() + " s): asked again", ORDER_NOT_PAID_YET);
            }
            throw ApplicationFailure.newNonRetryableFailure("order is still ACTIVE, not PAID, " + waited.toMinutes()
                    + " minutes after its payment was first verified", PaymentFailures.ORDER_UNPAID);
        }
        if (!"PAID".equals(order.status())) throw rejected("order is " + order.status() + ", not PAID");
        if (!"INR".equals(order.currency())) throw rejected("order currency is " + order.currency() + ", not INR");
        if (order.amountPaise() != request.amountPaise()) {
            throw rejected("order amount " + order.amountPaise() + " paise differs from the claimed " + request.amountPaise());
        }
        String owner = order.tags().get(COMMUNITY_TAG);
        if (!request.communityId().equals(owner)) {
            throw rejected("order belongs to community '" + owner + "', not '" + request.communityId() + "'");
        }
        // The revenue source and the place of supply choose the fee rule and the GST heads: when the order
        // (created by CommDesk) names them, a request that says otherwise is refused (issue 10 item 7, D16).
        contradicts(order, SOURCE_TYPE_TAG, request.sourceType(), v -> v);
        contradicts(order, PLACE_OF_SUPPLY_TAG, request.metadata().get(PLACE_OF_SUPPLY_TAG), PaymentActivitiesImpl::stateCode);
        // The ticket price prices a convenience fee and is what rule conditions on the amount see: the order's, as the two
        // above (review s12: a webhook-started payment had none, and a request could state another).
        // Compared as whole paise; a value on either side that is not whole paise is not a contradiction to fail the payment
        // on for good: the fee step refuses it (INVALID_PAYMENT), which parks the payment for a person (review of s12).
        String orderPrice = blankToNull(order.tags().get(TICKET_PRICE_TAG));
        String claimedPrice = blankToNull(request.metadata().get(TICKET_PRICE_TAG));
        Long orderPaise = TicketPrice.wholePaise(orderPrice), claimedPaise = TicketPrice.wholePaise(claimedPrice);
        if (orderPaise != null && claimedPaise != null && !orderPaise.equals(claimedPaise)) {
            throw rejected("order " + order.orderId() + " has " + TICKET_PRICE_TAG + " '" + orderPrice + "', not '" + claimedPrice + "'");
        }
        List<CashfreePayment> successful = payments.stream().filter(p -> "SUCCESS".equals(p.status())).toList();
        if (successful.size() != 1) throw rejected("order has " + successful.size() + " successful payments, expected exactly 1");
        CashfreePayment paid = successful.get(0);
        if (paid.amountPaise() != order.amountPaise() || !"INR".equals(paid.currency())) {
            throw rejected("payment " + paid.cfPaymentId() + " is " + paid.amountPaise() + " " + paid.currency()
                    + " for an order of " + order.amountPaise() + " INR");
        }
        // The community's configuration names the revenue sources it offers (null: every one). Checked last, on a payment
        // Cashfree says was taken: the API refuses such a claim at POST (422), so only a configuration changed after the
        // claim or the order gets here, and refusing it would FAIL a payment whose money is taken, booking nothing (review
        // s15). Parked for a person instead: RETRY once the community offers it again, or COMPENSATE.
        if (!onboarding.offers(request.communityId(), request.sourceType())) {
            throw ApplicationFailure.newNonRetryableFailure("community '" + request.communityId() + "' does not offer source type '"
                    + request.sourceType() + "', but Cashfree's payment " + paid.cfPaymentId() + " of order " + order.orderId()
                    + " took " + paid.amountPaise() + " paise: held for a person (retry once the community offers it again;"
                    + " compensate books nothing, and reconciliation finds the money for a refund)", PaymentFailures.SOURCE_NOT_OFFERED);
        }
        return new VerifiedPayment(order.orderId(), paid.cfPaymentId(), paid.amountPaise(), paid.currency(), paid.paymentMethod(),
                paid.paymentTime() == null ? null : paid.paymentTime().toEpochMilli(), order.customerId(),
                blankToNull(order.tags().get(PLACE_OF_SUPPLY_TAG)), blankToNull(order.tags().get(TICKET_PRICE_TAG)));
    }

    /**
     * The request with the order's facts in it: a place of supply or a ticket price the request omits is the order's
     * (D16: the order's fact wins, so omitting it cannot turn an intra-state sale into IGST, and a payment its webhook
     * started is priced as its order says). A request that states one was already checked against the order by
     * verification.
     */
    static PaymentRequest withOrderFacts(PaymentRequest request, VerifiedPayment verified) {
        Map<String, String> metadata = null;
        for (String[] fact : new String[][] {{PLACE_OF_SUPPLY_TAG, verified.placeOfSupply()}, {TICKET_PRICE_TAG, verified.ticketPricePaise()}}) {
            if (fact[1] == null || blankToNull(request.metadata().get(fact[0])) != null) continue;
            if (metadata == null) metadata = new HashMap<>(request.metadata());
            metadata.put(fact[0], fact[1]);
        }
        if (metadata == null) return request;
        return new PaymentRequest(request.paymentId(), request.communityId(), request.sourceType(), request.sourceId(),
                request.cashfreeOrderId(), request.amountPaise(), metadata);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private void contradicts(CashfreeOrder order, String tag, String claimed, java.util.function.UnaryOperator<String> key) {
        String fact = blankToNull(order.tags().get(tag));
        if (fact != null && blankToNull(claimed) != null && !key.apply(fact).equals(key.apply(claimed))) {
            throw rejected("order " + order.orderId() + " has " + tag + " '" + fact + "', not '" + claimed + "'");
        }
    }

    /** A place of supply by its GST state code ("KA", "29" and "Karnataka" agree); an unknown one as written. */
    private static String stateCode(String value) {
        try {
            String code = com.commdesk.fees.GstStates.codeOrNull(value, PLACE_OF_SUPPLY_TAG);
            return code == null ? value : code;
        } catch (com.commdesk.fees.FeeValidationException e) {
            return value;
        }
    }

    /** Since this step's first attempt was scheduled, by Temporal's clock (zero outside an activity, e.g. a unit test). */
    private static Duration waitedSinceFirstAsked() {
        try {
            io.temporal.activity.ActivityInfo info = io.temporal.activity.Activity.getExecutionContext().getInfo();
            return Duration.ofMillis(Math.max(0, info.getCurrentAttemptScheduledTimestamp() - info.getScheduledTimestamp()));
        } catch (IllegalStateException notInAnActivity) {
            return Duration.ZERO;
        }
    }

    private static ApplicationFailure cannotSay(PaymentRequest request, RuntimeException e) {
        return ApplicationFailure.newFailure("Cashfree's answer about order '" + request.cashfreeOrderId() + "' says nothing of it: "
                + e.getMessage(), ORDER_LOOKUP_REFUSED);
    }

    private ApplicationFailure rejected(String message) {
        verificationFailures.increment();
        return ApplicationFailure.newNonRetryableFailure(message, PaymentFailures.VERIFICATION_FAILED);
    }

    @Override
    public FraudVerdict screenForFraud(PaymentRequest request, VerifiedPayment verified) {
        return fraudScreen.screen(request, verified);
    }

    @Override
    public void recordStatus(String paymentId, String stage, String detail) {
        operations.recordStatus(paymentId, stage, detail);
    }

    @Override
    public FeeCalculation calculateFees(PaymentRequest claimed, VerifiedPayment verified) {
        PaymentRequest request = withOrderFacts(claimed, verified);
        // The community as it was when the customer paid: its split agreement version in force then (docs/communities.md).
        java.time.Instant paidAt = verified.paidAtEpochMillis() == null ? java.time.Instant.now()
                : java.time.Instant.ofEpochMilli(verified.paidAtEpochMillis());
        CommunityConfig community = communities.find(request.communityId(), paidAt).orElseThrow(() -> ApplicationFailure
                .newNonRetryableFailure("unknown community '" + request.communityId() + "'", PaymentFailures.UNKNOWN_COMMUNITY));
        String placeOfSupply = request.metadata().get(PLACE_OF_SUPPLY_TAG);
        try {
            // a bad ticket price or state is the payment's fault: non-retryable, the workflow parks it
            FeePolicy.Choice choice = feePolicy.choose(request, verified, community);
            // TDS 194-O is 5 % when the community has no PAN on record.
            com.commdesk.fees.FeeSchedule schedule = community.panMissing() ? choice.schedule().withoutPan() : choice.schedule();
            boolean ruleRoles = choice.roles() != null && !choice.roles().isEmpty();
            FeeBreakdown breakdown = FeeEngine.calculate(new PaymentFacts(verified.amountPaise(), request.sourceType(),
                    verified.paymentMethod(), community.supplierState(), placeOfSupply, TicketPrice.of(request.metadata())), schedule);
            if (!ruleRoles && community.agreementVersion() != null) {
                // Split by the agreement in force at the payment time, and remember which version that was.
                onboarding.recordPaymentAgreement(request.paymentId(), request.communityId(), community.agreementVersion());
                return new FeeCalculation(breakdown, choice.ruleId(), choice.ruleVersion(), community.roles());
            }
            return new FeeCalculation(breakdown, choice.ruleId(), choice.ruleVersion(), ruleRoles ? choice.roles() : null);
        } catch (FeeValidationException e) {
            throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), PaymentFailures.INVALID_PAYMENT);
        }
    }

    @Override
    public Allocation allocateShares(String communityId, long netPaise, List<RoleSplit> ruleRoles) {
        // The rule's own roles override the community's (they were validated when the rule was saved).
        boolean fromRule = ruleRoles != null && !ruleRoles.isEmpty();
        List<RoleSplit> roles = fromRule ? ruleRoles : community(communityId).roles();
        try {
            return new Allocation(SplitEngine.splitRevenueAcrossRoles(netPaise, roles));
        } catch (FeeValidationException e) {
            throw ApplicationFailure.newNonRetryableFailure((fromRule ? "rule roles" : "community " + communityId) + ": " + e.getMessage(),
                    PaymentFailures.INVALID_PAYMENT);
        }
    }

    @Override
    public LedgerPosting postToLedger(PaymentRequest claimed, VerifiedPayment verified, FeeCalculation fees, Allocation allocation) {
        // The booked metadata names the place of supply the GST heads were computed for.
        PaymentRequest request = withOrderFacts(claimed, verified);
        try {
            PostedPayment posted = poster.post(new PaymentPosting(request.paymentId(), request.communityId(),
                    request.sourceType(), request.sourceId(), request.cashfreeOrderId(), verified.cashfreePaymentId(),
                    verified.paymentMethod(), fees.breakdown(), allocation.shares(), fees.ruleId(), fees.ruleVersion(),
                    request.metadata()));
            if (posted.newlyPosted()) {
                paymentsPosted.increment();
                grossPaise.increment(fees.breakdown().amountPaise());
            }
            return new LedgerPosting(posted.transactionId().toString(), posted.journalId(), posted.newlyPosted());
        } catch (LedgerException e) {
            // A database that is away or busy is temporary: Temporal retries (the posting is idempotent).
            if (e.retryable()) throw ApplicationFailure.newFailure(e.getMessage(), "LedgerUnavailable");
            throw ApplicationFailure.newNonRetryableFailure(e.getMessage(),
                    e.code() == LedgerException.Code.UNKNOWN_COMMUNITY ? PaymentFailures.UNKNOWN_COMMUNITY : PaymentFailures.LEDGER_CONFLICT);
        } catch (InterruptedException e) {
            // The worker is stopping: this attempt fails and Temporal retries it (the posting is idempotent).
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while posting payment " + request.paymentId(), e);
        }
    }

    @Override
    public void reverseLedgerPosting(String paymentId, String reason) {
        // The payment's own record decides: nothing posted for this payment id means nothing to undo.
        try {
            if (ledger.reversePayment(paymentId, reason).isPresent()) reversals.increment();
        } catch (LedgerException e) {
            if (e.retryable()) throw ApplicationFailure.newFailure(e.getMessage(), "LedgerUnavailable");
            // Refunded, or its credits already released: a reversal would take other money. No retry
            // fixes that; an operator refunds it instead (docs/payments.md).
            throw ApplicationFailure.newNonRetryableFailure("cannot reverse payment " + paymentId + ": " + e.getMessage(),
                    PaymentFailures.LEDGER_CONFLICT);
        }
    }

    @Override
    public HoldsQueued queueSettlement(String transactionId) {
        return new HoldsQueued(holds.queueHolds(UUID.fromString(transactionId)).toInstant().toEpochMilli());
    }

    /**
     * Only payments whose workflow started before the hand-over step was removed still call this
     * (docs/decisions.md D13): it writes nothing (payouts come from AVAILABLE balances through the
     * settlement cycles) and reports the community's policy.
     */
    @Override
    public PayoutHandover handOverToPayouts(String transactionId) {
        return new PayoutHandover(0, holds.payoutPolicyOf(UUID.fromString(transactionId)));
    }

    private CommunityConfig community(String communityId) {
        return communities.find(communityId).orElseThrow(() -> ApplicationFailure.newNonRetryableFailure(
                "unknown community '" + communityId + "'", PaymentFailures.UNKNOWN_COMMUNITY));
    }
}
