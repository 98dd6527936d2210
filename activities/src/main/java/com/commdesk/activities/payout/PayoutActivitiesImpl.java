package com.commdesk.activities.payout;

import com.commdesk.activities.cashfree.CashfreeException;
import com.commdesk.activities.cashfree.CashfreePayouts;
import com.commdesk.activities.cashfree.CashfreeRejectedException;
import com.commdesk.activities.cashfree.CashfreeUnavailableException;
import com.commdesk.ledger.LedgerException;
import com.commdesk.ledger.SettlementRepository;
import com.commdesk.ledger.payouts.PayoutRepository;
import com.commdesk.ledger.payouts.PayoutRepository.Payout;
import com.commdesk.workflows.payout.PayoutActivities;
import com.commdesk.workflows.payout.PayoutTypes.CyclePlan;
import com.commdesk.workflows.payout.PayoutTypes.PayoutRequest;
import com.commdesk.workflows.payout.PayoutTypes.SettlementRequest;
import com.commdesk.workflows.payout.PayoutTypes.TransferResult;
import com.commdesk.workflows.payout.SettlementActivities;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.temporal.failure.ApplicationFailure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The I/O of settlements and payouts. The never-twice rule lives in {@link #sendTransfer}: the
 * payout row is marked "transfer requested" in PostgreSQL before the one POST; any later attempt
 * (a retry after a timeout or 5xx, after the worker died, after the completion was lost) sees the
 * mark and asks Cashfree for the transfer instead. Only if Cashfree still does not know the
 * transfer after {@link PayoutSettings#resendGrace()} is it requested again, with the same
 * transfer_id, which Cashfree refuses to accept twice.
 */
public class PayoutActivitiesImpl implements PayoutActivities, SettlementActivities {
    private static final Logger log = LoggerFactory.getLogger(PayoutActivitiesImpl.class);
    static final DateTimeFormatter CYCLE_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm");

    private final PayoutRepository payouts;
    private final CashfreePayouts cashfree;
    private final PayoutSettings settings;
    private final Clock clock;
    private final Counter escalations;
    private final Counter paid;
    private final Counter failed;
    private final Counter reversed;
    private final Counter transfersRequested;
    private final Timer settlementDelay;

    public PayoutActivitiesImpl(PayoutRepository payouts, CashfreePayouts cashfree, PayoutSettings settings, Clock clock,
                                MeterRegistry metrics) {
        this.payouts = payouts;
        this.cashfree = cashfree;
        this.settings = settings;
        this.clock = clock;
        this.escalations = Counter.builder("commdesk.payouts.approvals.escalated")
                .description("Payout approvals open longer than commdesk.payouts.escalate-after").register(metrics);
        this.paid = Counter.builder("commdesk.payouts.paid").register(metrics);
        this.failed = Counter.builder("commdesk.payouts.failed").description("Payouts failed or rejected (money back to available)").register(metrics);
        this.reversed = Counter.builder("commdesk.payouts.reversed").description("Paid payouts the bank sent back").register(metrics);
        this.transfersRequested = Counter.builder("commdesk.payouts.transfers.requested").register(metrics);
        this.settlementDelay = Timer.builder("commdesk.settlement.delay")
                .description("From a settlement cycle's cut-off to the member's payout being paid").register(metrics);
    }

    // ---- settlement ------------------------------------------------------------------------------

    @Override
    public CyclePlan nextCycle(String communityId, long afterMillis) {
        var policy = payouts.policy(communityId).orElseThrow(() ->
                ApplicationFailure.newNonRetryableFailure("unknown community " + communityId, "UnknownCommunity"));
        long cutOff = nextCutOff(policy.payoutPolicy(), Instant.ofEpochMilli(afterMillis), settings.instantInterval());
        String id = cutOff == 0 ? null : settlementId(communityId, policy.payoutPolicy(), cutOff);
        return new CyclePlan(communityId, policy.payoutPolicy(), cutOff, id);
    }

    /** DAILY: next midnight IST; WEEKLY: next Monday midnight IST; INSTANT: the next multiple of the interval; MANUAL: 0 (fee-engine's IndiaTime). */
    static long nextCutOff(String policy, Instant after, Duration instantInterval) {
        try {
            Instant cutOff = com.commdesk.fees.IndiaTime.nextCutOff(policy, after, instantInterval);
            return cutOff == null ? 0 : cutOff.toEpochMilli();
        } catch (com.commdesk.fees.FeeValidationException e) {
            throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), "UnknownPolicy");
        }
    }

    public static String settlementId(String communityId, String cycle, long cutOffMillis) {
        return "stl_" + communityId + "_" + cycle.toLowerCase(java.util.Locale.ROOT) + "_"
                + CYCLE_STAMP.format(Instant.ofEpochMilli(cutOffMillis).atZone(SettlementRepository.SETTLEMENT_ZONE));
    }

    @Override
    public List<PayoutRequest> openSettlement(SettlementRequest r) {
        List<Payout> list = payouts.openSettlement(r.settlementId(), r.communityId(), r.cycle(),
                OffsetDateTime.ofInstant(Instant.ofEpochMilli(r.cutOffMillis()), ZoneOffset.UTC), r.requestedBy(),
                settings.approvalThresholdPaise());
        log.info("settlement {} of {}: {} payouts", r.settlementId(), r.communityId(), list.size());
        return list.stream().map(p -> new PayoutRequest(p.payoutId(), p.settlementId(), p.communityId(), p.role(), p.userId(),
                p.amountPaise(), p.requestedBy(), p.needsApproval(), p.flaggedReason(), settings.timings())).toList();
    }

    @Override
    public String refreshSettlement(String settlementId) {
        return payouts.refreshSettlement(settlementId);
    }

    // ---- payout ----------------------------------------------------------------------------------

    private Payout payout(String payoutId) {
        return payouts.payout(payoutId).orElseThrow(() ->
                ApplicationFailure.newNonRetryableFailure("no payout " + payoutId, "UnknownPayout"));
    }

    @Override
    public void lockFunds(String payoutId) {
        try {
            payouts.lock(payoutId);
        } catch (LedgerException e) {
            if (e.code() == LedgerException.Code.INSUFFICIENT_FUNDS) {
                throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), INSUFFICIENT_FUNDS);
            }
            throw e;
        }
    }

    @Override
    public void recordPayoutStatus(String payoutId, String status, String actor, String detail) {
        payouts.setStatus(payoutId, status, actor, detail);
    }

    @Override
    public void escalate(String payoutId, long waitedMillis) {
        escalations.increment();
        Payout p = payout(payoutId);
        log.warn("ESCALATION: payout {} of {} paise to {}/{} in {} has waited {} for a finance decision", payoutId, p.amountPaise(),
                p.role(), p.userId(), p.communityId(), Duration.ofMillis(waitedMillis));
        payouts.recordEvent(payoutId, "ESCALATED", null, "no decision after " + Duration.ofMillis(waitedMillis));
    }

    @Override
    public void recordDecision(String payoutId, boolean approved, String approver, String note) {
        payouts.recordDecision(payoutId, approved, approver, note);
    }

    @Override
    public TransferResult sendTransfer(String payoutId) {
        Payout p = payout(payoutId);
        if (p.cashfreeStatus() != null && isTerminal(p.cashfreeStatus())) {
            return new TransferResult(p.cashfreeStatus(), null, p.reason(), p.cfTransferId());
        }
        ensureBeneficiary(p.beneficiaryId());
        if (!payouts.markTransferRequested(payoutId)) {
            // An earlier attempt may have reached Cashfree: never send blindly, ask (Cashfree's guidance).
            Optional<CashfreePayouts.Transfer> known = ask(payoutId);
            if (known.isPresent()) return record(payoutId, known.get());
            OffsetDateTime requestedAt = payout(payoutId).transferRequestedAt();
            Duration since = Duration.between(requestedAt.toInstant(), clock.instant());
            if (since.compareTo(settings.resendGrace()) < 0) {
                throw ApplicationFailure.newFailure("transfer " + payoutId + " was requested " + since
                        + " ago and Cashfree does not know it yet; asking again later", "TransferUnknown");
            }
            log.warn("transfer {} was requested {} ago but Cashfree does not know it: requesting it again with the same transfer_id",
                    payoutId, since);
        }
        try {
            transfersRequested.increment();
            CashfreePayouts.Transfer t = cashfree.createTransfer(new CashfreePayouts.NewTransfer(payoutId, p.amountPaise(),
                    p.beneficiaryId(), null));
            afterTransferRequested(payoutId);
            return record(payoutId, t);
        } catch (CashfreeRejectedException e) {
            if (e.errorCode().filter(CashfreePayouts.TRANSFER_ID_EXISTS::equals).isPresent()) {
                return ask(payoutId).map(t -> record(payoutId, t)).orElseThrow(() ->
                        ApplicationFailure.newFailure("transfer " + payoutId + " exists but cannot be read yet", "TransferUnknown"));
            }
            // Refused outright (4xx): no transfer exists, the money goes back.
            payouts.recordCashfree(payoutId, null, "REJECTED", e.errorCode().orElse(null));
            return new TransferResult("REJECTED", e.errorCode().orElse("rejected"), e.getMessage(), null);
        } catch (CashfreeUnavailableException e) {
            // Timeout or 5xx: the transfer may exist. The retry will ask, not send.
            throw ApplicationFailure.newFailure("transfer " + payoutId + " outcome unknown: " + e.getMessage(), "CashfreeUnavailable");
        }
    }

    /** Test seam: runs after the transfer request was answered, before the answer is recorded. */
    protected void afterTransferRequested(String payoutId) {
    }

    @Override
    public TransferResult transferStatus(String payoutId) {
        return ask(payoutId).map(t -> record(payoutId, t)).orElse(new TransferResult("NOT_FOUND", null, null, null));
    }

    private Optional<CashfreePayouts.Transfer> ask(String payoutId) {
        try {
            return cashfree.transfer(payoutId);
        } catch (CashfreeException e) {
            throw ApplicationFailure.newFailure("status of transfer " + payoutId + ": " + e.getMessage(), "CashfreeUnavailable");
        }
    }

    private TransferResult record(String payoutId, CashfreePayouts.Transfer t) {
        payouts.recordCashfree(payoutId, t.cfTransferId(), t.status(), t.statusCode());
        return new TransferResult(t.status(), t.statusCode(), t.statusDescription(), t.cfTransferId());
    }

    private static boolean isTerminal(String status) {
        return List.of("SUCCESS", "FAILED", "REJECTED", "REVERSED").contains(status);
    }

    /** Registered once: known to us, or known to Cashfree, or created now (an "already exists" is fine). */
    private void ensureBeneficiary(String beneficiaryId) {
        var b = payouts.beneficiary(beneficiaryId).orElseThrow(() ->
                ApplicationFailure.newNonRetryableFailure("no beneficiary " + beneficiaryId, "UnknownBeneficiary"));
        if (b.registeredAt() != null) return;
        try {
            if (cashfree.beneficiary(beneficiaryId).isEmpty()) {
                try {
                    cashfree.createBeneficiary(new CashfreePayouts.NewBeneficiary(b.beneficiaryId(), b.name(), b.bankAccountNumber(),
                            b.bankIfsc(), b.vpa()));
                } catch (CashfreeRejectedException e) {
                    if (e.errorCode().filter(CashfreePayouts.BENEFICIARY_EXISTS::equals).isEmpty()) {
                        throw ApplicationFailure.newNonRetryableFailure("beneficiary " + beneficiaryId + " refused: " + e.getMessage(),
                                "BeneficiaryRejected");
                    }
                }
            }
        } catch (CashfreeUnavailableException e) {
            throw ApplicationFailure.newFailure("beneficiary " + beneficiaryId + ": " + e.getMessage(), "CashfreeUnavailable");
        }
        payouts.markRegistered(beneficiaryId);
    }

    @Override
    public void markPaid(String payoutId) {
        OffsetDateTime paidAt = payouts.markPaid(payoutId);
        paid.increment();
        Payout p = payout(payoutId);
        payouts.settlement(p.settlementId()).ifPresent(s ->
                settlementDelay.record(Duration.between(s.cutOff(), paidAt).abs()));
        payouts.refreshSettlement(p.settlementId());
    }

    @Override
    public void releaseFunds(String payoutId, String finalStatus, String reason) {
        payouts.release(payoutId, finalStatus, reason);
        failed.increment();
        payouts.refreshSettlement(payout(payoutId).settlementId());
    }

    @Override
    public void reversePaid(String payoutId, String reason) {
        payouts.reversePaid(payoutId, reason);
        reversed.increment();
        log.warn("payout {} was reversed after success: {}; the money is back in the member's available balance", payoutId, reason);
        payouts.refreshSettlement(payout(payoutId).settlementId());
    }
}
