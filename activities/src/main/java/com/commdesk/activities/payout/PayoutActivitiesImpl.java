package com.commdesk.activities.payout;

import com.commdesk.activities.cashfree.CashfreeException;
import com.commdesk.activities.cashfree.CashfreeNotFoundException;
import com.commdesk.activities.cashfree.CashfreePayouts;
import com.commdesk.activities.cashfree.CashfreeRejectedException;
import com.commdesk.activities.cashfree.CashfreeUnavailableException;
import com.commdesk.ledger.LedgerException;
import com.commdesk.ledger.HoldQueue;
import com.commdesk.ledger.payout.PayoutRepository;
import com.commdesk.ledger.payout.PayoutReturns;
import com.commdesk.ledger.payout.Settlements;
import com.commdesk.ledger.payout.Beneficiaries;
import com.commdesk.ledger.payout.Payout;
import com.commdesk.workflows.payout.PayoutActivities;
import com.commdesk.workflows.payout.PayoutTypes;
import com.commdesk.workflows.payout.PayoutTypes.CyclePlan;
import com.commdesk.workflows.payout.PayoutTypes.PayoutPage;
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
import java.time.temporal.ChronoUnit;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The I/O of settlements and payouts. The never-twice rule lives in {@link #sendTransfer}: the
 * payout row is marked "transfer requested" in PostgreSQL before the one POST; any later attempt
 * (a retry after a timeout or 5xx, after the worker died, after the completion was lost) sees the
 * mark and asks Cashfree for the transfer instead. Only if Cashfree still answers its documented
 * "does not exist" after {@link PayoutSettings#resendGrace()} is it requested again, with the same
 * transfer_id. Fail closed: a refused request is believed only when Cashfree's documented
 * not-found answers a GET for the transfer_id; everything else (timeouts, 5xx, 401/403, an
 * undocumented 404) is an unknown outcome and the money stays locked (docs/payouts.md).
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
    private final Counter attention;
    private final Counter beneficiaryRefused;
    private final Counter authFailures;
    private final PayoutLauncher launcher;

    /** Starts one payout's workflow (idempotent: one already started is left alone). */
    @FunctionalInterface
    public interface PayoutLauncher {
        void launch(PayoutRequest request);
    }

    public PayoutActivitiesImpl(PayoutRepository payouts, CashfreePayouts cashfree, PayoutSettings settings, Clock clock,
                                MeterRegistry metrics, PayoutLauncher launcher) {
        this.launcher = launcher;
        this.attention = Counter.builder("commdesk.payouts.attention")
                .description("Payouts whose transfer outcome stayed unknown and now wait for finance (money locked)").register(metrics);
        this.beneficiaryRefused = Counter.builder("commdesk.payouts.beneficiary.refused")
                .description("Payouts not sent because Cashfree refused the beneficiary").register(metrics);
        this.authFailures = Counter.builder("commdesk.payouts.cashfree.auth.failures")
                .description("Payouts calls Cashfree refused with 401/403: Payouts keys or 2FA misconfigured").register(metrics);
        this.payouts = payouts;
        this.cashfree = cashfree;
        this.settings = settings;
        this.clock = clock;
        this.escalations = Counter.builder("commdesk.payouts.approvals.escalated")
                .description("Payout approvals open longer than commdesk.payouts.escalate-after").register(metrics);
        this.paid = Counter.builder("commdesk.payouts.paid").description("Payouts Cashfree confirmed paid").register(metrics);
        this.failed = Counter.builder("commdesk.payouts.failed").description("Payouts failed or rejected (money back to available)").register(metrics);
        this.reversed = Counter.builder("commdesk.payouts.reversed").description("Paid payouts the bank sent back").register(metrics);
        this.transfersRequested = Counter.builder("commdesk.payouts.transfers.requested")
                .description("Transfers requested from Cashfree Payouts (at most one per payout)").register(metrics);
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
                + CYCLE_STAMP.format(Instant.ofEpochMilli(cutOffMillis).atZone(com.commdesk.fees.IndiaTime.ZONE));
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
    public int openSettlementCount(SettlementRequest r) {
        int n = payouts.open(r.settlementId(), r.communityId(), r.cycle(),
                OffsetDateTime.ofInstant(Instant.ofEpochMilli(r.cutOffMillis()), ZoneOffset.UTC), r.requestedBy(),
                settings.approvalThresholdPaise());
        log.info("settlement {} of {}: {} payouts", r.settlementId(), r.communityId(), n);
        return n;
    }

    @Override
    public PayoutPage startPayouts(String settlementId, String afterPayoutId, int limit) {
        List<Payout> page = payouts.payoutPage(settlementId, afterPayoutId, Math.min(limit, Settlements.MAX_PAGE));
        for (Payout p : page) {
            launcher.launch(new PayoutRequest(p.payoutId(), p.settlementId(), p.communityId(), p.role(), p.userId(), p.amountPaise(),
                    p.requestedBy(), p.needsApproval(), p.flaggedReason(), settings.timings()));
        }
        return new PayoutPage(page.stream().map(Payout::payoutId).toList(), page.isEmpty() ? afterPayoutId : page.get(page.size() - 1).payoutId());
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
            if (e.code() == LedgerException.Code.WRONG_STATE) { // the payout has ended: a late attempt locks nothing
                throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), "PayoutEnded");
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
    public void recordDecisionAsSeen(String payoutId, boolean approved, String approver, String note, Integer flagGeneration) {
        if (!payouts.recordDecision(payoutId, approved, approver, note, flagGeneration)) {
            log.warn("payout {}: {}'s approval was given before a flag raised since; it waits for a new approval", payoutId, approver);
        }
    }

    @Override
    public TransferResult sendTransfer(String payoutId) {
        Payout p = payout(payoutId);
        if (p.cashfreeStatus() != null && isTerminal(p.cashfreeStatus())) {
            return new TransferResult(p.cashfreeStatus(), null, p.reason(), p.cfTransferId());
        }
        var stillCurrent = payouts.currentBeneficiary(p.communityId(), p.role(), p.userId())
                .filter(c -> c.beneficiaryId().equals(p.beneficiaryId()));
        if (p.transferRequestedAt() == null && stillCurrent.isEmpty()) {
            // The member replaced the account this payout was opened with (one its owner chose, say): never send the member's
            // money to an account it has disowned. Nothing was requested, so the money goes back; a later settlement pays the
            // current account once its cooling-off is over (review of s13). Once requested, a transfer is only followed.
            String why = "the member's beneficiary changed after this payout was opened: not sent to " + p.beneficiaryId();
            payouts.recordEvent(payoutId, "BENEFICIARY_REPLACED", null, why);
            log.warn("payout {} not sent: {}", payoutId, why);
            return new TransferResult(TransferResult.NOT_SENT, "BENEFICIARY_REPLACED", why, null);
        }
        // The payout's beneficiary: read once, as the member's current one (a replaced one only for a transfer already requested).
        var beneficiary = stillCurrent.or(() -> payouts.beneficiary(p.beneficiaryId())).orElseThrow(() ->
                ApplicationFailure.newNonRetryableFailure("no beneficiary " + p.beneficiaryId(), "UnknownBeneficiary"));
        String cashfreeBeneficiary;
        try {
            cashfreeBeneficiary = ensureBeneficiary(beneficiary);
        } catch (BeneficiaryRefused e) {
            if (p.transferRequestedAt() == null) {
                beneficiaryRefused.increment();
                payouts.recordEvent(payoutId, "BENEFICIARY_REFUSED", "cashfree", e.getMessage());
                log.warn("payout {} not sent: {}", payoutId, e.getMessage());
                return new TransferResult(TransferResult.NOT_SENT, "BENEFICIARY_REFUSED", e.getMessage(), null);
            }
            // A transfer may exist already: never conclude anything from the beneficiary now.
            throw ApplicationFailure.newFailure(e.getMessage(), "TransferUnknown");
        }
        switch (payouts.sendPermit(payoutId)) {
            case NEEDS_APPROVAL -> {
                return new TransferResult(TransferResult.APPROVAL_REQUIRED, "FLAGGED", "the payout or its recipient was flagged", null);
            }
            case ALREADY_MARKED -> {
                // An earlier attempt may have reached Cashfree: never send blindly, ask (Cashfree's guidance).
                Optional<CashfreePayouts.Transfer> known = ask(payoutId);
                if (known.isPresent()) return record(payoutId, known.get());
                if (acknowledged(payoutId)) {
                    throw ApplicationFailure.newFailure("transfer " + payoutId + " was acknowledged by Cashfree and now it answers it does"
                            + " not exist: a contradiction, never a reason to send again; outcome unknown", "TransferUnknown");
                }
                Duration since = sinceRequested(payoutId);
                if (since.compareTo(settings.resendGrace()) < 0) {
                    throw ApplicationFailure.newFailure("transfer " + payoutId + " was requested " + since
                            + " ago and Cashfree does not know it yet; asking again later", "TransferUnknown");
                }
                log.warn("transfer {} was requested {} ago and Cashfree answers it does not exist: requesting it again with the same"
                        + " transfer_id", payoutId, since);
            }
            case MARKED -> { }
        }
        try {
            transfersRequested.increment();
            CashfreePayouts.Transfer t = cashfree.createTransfer(new CashfreePayouts.NewTransfer(payoutId, p.amountPaise(),
                    cashfreeBeneficiary, beneficiary.transferMode()));
            afterTransferRequested(payoutId);
            return record(payoutId, t);
        } catch (CashfreeRejectedException e) {
            if (e.httpStatus() == 401 || e.httpStatus() == 403) throw authFailure("transfer " + payoutId, e);
            // Refused, but with a code we may not know (a duplicate transfer_id has no documented one): believe
            // the refusal only if Cashfree's documented "does not exist" answers for the transfer_id.
            Optional<CashfreePayouts.Transfer> known = ask(payoutId);
            if (known.isPresent()) return record(payoutId, known.get());
            if (e.httpStatus() == 409) {
                // A conflict says the transfer_id is taken: the transfer exists though the GET does not show it yet.
                throw ApplicationFailure.newFailure("transfer " + payoutId + ": Cashfree refuses the transfer_id as taken but does not"
                        + " show the transfer; outcome unknown (" + e.getMessage() + ")", "TransferUnknown");
            }
            String code = e.errorCode().orElse("refused");
            if (CashfreePayouts.BENEFICIARY_NOT_FOUND.equals(code)) {
                payouts.markUnregistered(beneficiary.beneficiaryId()); // removed at Cashfree: register it again next time
            }
            // Our inference (a refused request and no such transfer), not Cashfree's status of a transfer: kept apart from
            // Cashfree's record, so a SUCCESS Cashfree sends later is not mistaken for a contradiction of its own answer.
            payouts.recordEvent(payoutId, "TRANSFER_REFUSED", "cashfree", "request refused (" + code + ") and no such transfer: "
                    + e.getMessage());
            return new TransferResult("REJECTED", code, e.getMessage(), null);
        } catch (CashfreeUnavailableException e) {
            // Timeout, 5xx, an undocumented 404: the transfer may exist. The retry will ask, not send.
            throw ApplicationFailure.newFailure("transfer " + payoutId + " outcome unknown: " + e.getMessage(), "CashfreeUnavailable");
        }
    }

    /** Cashfree answered for this transfer before: its cf_transfer_id or a status of its own is on record. */
    private boolean acknowledged(String payoutId) {
        var p = payout(payoutId);
        return p.cfTransferId() != null || p.cashfreeStatus() != null;
    }

    private Duration sinceRequested(String payoutId) {
        OffsetDateTime requestedAt = payout(payoutId).transferRequestedAt();
        // Never requested: Cashfree's "does not exist" is the whole truth at once.
        return requestedAt == null ? ChronoUnit.FOREVER.getDuration() : Duration.between(requestedAt.toInstant(), clock.instant());
    }

    private ApplicationFailure authFailure(String what, CashfreeRejectedException e) {
        authFailures.increment();
        log.error("Cashfree Payouts refused our credentials ({}): check CASHFREE_PAYOUT_CLIENT_ID/SECRET and 2FA"
                + " (public key or IP allowlist); the payout waits, its money locked", e.getMessage());
        return ApplicationFailure.newFailure(what + ": " + e.getMessage(), "CashfreeAuthentication");
    }

    /** Test seam: runs after the transfer request was answered, before the answer is recorded. */
    protected void afterTransferRequested(String payoutId) {
    }

    @Override
    public TransferResult transferStatus(String payoutId) {
        Optional<CashfreePayouts.Transfer> known = ask(payoutId);
        if (known.isPresent()) return record(payoutId, known.get());
        // Cashfree's documented "does not exist": believed only once the request is old enough to have been created, and
        // never after Cashfree acknowledged the transfer (review s12: believed, it was sent again and released on a refusal).
        boolean believed = !acknowledged(payoutId) && sinceRequested(payoutId).compareTo(settings.resendGrace()) >= 0;
        return new TransferResult(believed ? TransferResult.NOT_FOUND : TransferResult.UNKNOWN, null,
                believed ? "Cashfree: transfer_id does not exist" : "not known to Cashfree yet", null);
    }

    private Optional<CashfreePayouts.Transfer> ask(String payoutId) {
        try {
            return cashfree.transfer(payoutId);
        } catch (CashfreeRejectedException e) {
            if (e.httpStatus() == 401 || e.httpStatus() == 403) throw authFailure("status of transfer " + payoutId, e);
            throw ApplicationFailure.newFailure("status of transfer " + payoutId + ": " + e.getMessage(), "CashfreeUnavailable");
        } catch (CashfreeException e) {
            throw ApplicationFailure.newFailure("status of transfer " + payoutId + ": " + e.getMessage(), "CashfreeUnavailable");
        }
    }

    private TransferResult record(String payoutId, CashfreePayouts.Transfer t) {
        payouts.recordCashfree(payoutId, t.cfTransferId(), t.status(), t.statusCode(), t.utr());
        return new TransferResult(t.status(), t.statusCode(), t.statusDescription(), t.cfTransferId());
    }

    private static boolean isTerminal(String status) {
        return List.of("SUCCESS", "FAILED", "REJECTED", "REVERSED").contains(status);
    }

    /** Cashfree refused the beneficiary for good: nothing can be sent to it as it is. */
    static final class BeneficiaryRefused extends RuntimeException {
        BeneficiaryRefused(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Registered once: known to us, or known to Cashfree, or created now. Returns the id Cashfree knows the
     * account by: ours, or (409 beneficiary_already_exists) the existing one for the same account + IFSC.
     */
    private String ensureBeneficiary(Beneficiaries.Beneficiary b) {
        if (b.registeredAt() != null) return b.transferBeneficiaryId();
        String name = Beneficiaries.cashfreeName(b.name());
        if (name == null) {
            throw new BeneficiaryRefused("beneficiary " + b.beneficiaryId() + ": the name cannot be sent to Cashfree (letters and spaces"
                    + " only); register the member's bank details again");
        }
        try {
            Optional<CashfreePayouts.NewBeneficiary> known = cashfree.beneficiary(b.beneficiaryId());
            if (known.isEmpty()) {
                try {
                    cashfree.createBeneficiary(new CashfreePayouts.NewBeneficiary(b.beneficiaryId(), name, b.bankAccountNumber(),
                            b.bankIfsc(), b.vpa()));
                    payouts.markRegistered(b.beneficiaryId(), b.beneficiaryId());
                    return b.beneficiaryId();
                } catch (CashfreeRejectedException e) {
                    if (e.httpStatus() == 401 || e.httpStatus() == 403) throw authFailure("beneficiary " + b.beneficiaryId(), e);
                    String code = e.errorCode().orElse("");
                    if (CashfreePayouts.BENEFICIARY_ACCOUNT_EXISTS.equals(code) && b.bankAccountNumber() != null) {
                        var existing = cashfree.beneficiaryByAccount(b.bankAccountNumber(), b.bankIfsc()).orElseThrow(() ->
                                ApplicationFailure.newFailure("Cashfree says account of " + b.beneficiaryId() + " exists but cannot find it",
                                        "CashfreeUnavailable"));
                        log.info("beneficiary {}: Cashfree has this account as {}; transfers name that one", b.beneficiaryId(),
                                existing.beneficiaryId());
                        payouts.markRegistered(b.beneficiaryId(), existing.beneficiaryId());
                        return existing.beneficiaryId();
                    }
                    if (!CashfreePayouts.BENEFICIARY_ID_EXISTS.equals(code)) {
                        throw new BeneficiaryRefused("beneficiary " + b.beneficiaryId() + " refused by Cashfree: " + e.getMessage());
                    }
                    known = cashfree.beneficiary(b.beneficiaryId()); // created meanwhile (a concurrent attempt)
                }
            }
            CashfreePayouts.NewBeneficiary k = known.orElseThrow(() ->
                    ApplicationFailure.newFailure("beneficiary " + b.beneficiaryId() + " exists but cannot be read", "CashfreeUnavailable"));
            if (!java.util.Objects.equals(k.bankAccountNumber(), b.bankAccountNumber()) || !java.util.Objects.equals(k.vpa(), b.vpa())) {
                throw new BeneficiaryRefused("beneficiary " + b.beneficiaryId() + " is registered at Cashfree with other details");
            }
            payouts.markRegistered(b.beneficiaryId(), b.beneficiaryId());
            return b.beneficiaryId();
        } catch (CashfreeRejectedException e) {
            if (e.httpStatus() == 401 || e.httpStatus() == 403) throw authFailure("beneficiary " + b.beneficiaryId(), e);
            throw ApplicationFailure.newFailure("beneficiary " + b.beneficiaryId() + ": " + e.getMessage(), "CashfreeUnavailable");
        } catch (CashfreeUnavailableException | CashfreeNotFoundException e) {
            throw ApplicationFailure.newFailure("beneficiary " + b.beneficiaryId() + ": " + e.getMessage(), "CashfreeUnavailable");
        }
    }

    @Override
    public void markNeedsAttention(String payoutId, String why) {
        if (payouts.markNeedsAttention(payoutId, why)) {
            attention.increment();
            Payout p = payout(payoutId);
            log.warn("ATTENTION: payout {} of {} paise to {}/{} in {}: {}", payoutId, p.amountPaise(), p.role(), p.userId(),
                    p.communityId(), why);
            payouts.refreshSettlement(p.settlementId());
        }
    }

    @Override
    public void markPaid(String payoutId) {
        markPaid(payoutId, false);
    }

    @Override
    public void markPaidOnFinanceWord(String payoutId) {
        markPaid(payoutId, true);
    }

    private void markPaid(String payoutId, boolean onFinanceWord) {
        OffsetDateTime paidAt = payouts.markPaid(payoutId, onFinanceWord);
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
        returnPaid(new PayoutTypes.PaidAnswer(payoutId, reason));
    }

    @Override
    public PayoutTypes.PaidAnswerResult returnPaid(PayoutTypes.PaidAnswer answer) {
        String payoutId = answer.payoutId();
        PayoutReturns.PaidAction done = payouts.reversePaid(payoutId, answer.reason());
        if (done == PayoutReturns.PaidAction.REVERSED || done == PayoutReturns.PaidAction.ALREADY_REVERSED) {
            // Counted only when the ledger moved the money now: a retry of a return already made moves nothing (review s6 L-3).
            if (done == PayoutReturns.PaidAction.REVERSED) reversed.increment();
            log.warn("payout {} was reversed after success: {}; the money is back in the member's available balance", payoutId,
                    answer.reason());
        } else {
            log.error("payout {}: not returned ({}): Cashfree said SUCCESS; {}: finance must look", payoutId, answer.reason(),
                    done == PayoutReturns.PaidAction.HELD ? "held for finance" : "recorded for finance");
        }
        return paidAnswered(payoutId, done);
    }

    @Override
    public PayoutTypes.PaidAnswerResult holdPaidForFinance(PayoutTypes.PaidAnswer answer) {
        String payoutId = answer.payoutId();
        PayoutReturns.PaidAction done = payouts.holdPaid(payoutId, answer.reason());
        log.error("payout {}: {}; {}: finance must look", payoutId, answer.reason(),
                done == PayoutReturns.PaidAction.HELD ? "held for finance, the money stays paid out" : "recorded for finance");
        return paidAnswered(payoutId, done);
    }

    private PayoutTypes.PaidAnswerResult paidAnswered(String payoutId, PayoutReturns.PaidAction done) {
        Payout p = payout(payoutId);
        payouts.refreshSettlement(p.settlementId());
        // The workflow is told the money came back whether it moved now or by an earlier call (an idempotent retry). Mapped
        // explicitly: the workflow's answers are its own words, not the ledger's enum names.
        String action = switch (done) {
            case REVERSED, ALREADY_REVERSED -> PayoutTypes.PaidAnswerResult.REVERSED;
            case HELD -> PayoutTypes.PaidAnswerResult.HELD;
            case UNCHANGED -> PayoutTypes.PaidAnswerResult.UNCHANGED;
        };
        return new PayoutTypes.PaidAnswerResult(action, p.reason());
    }

    @Override
    public boolean latePaid(String payoutId, String detail) {
        try {
            if (!payouts.latePaid(payoutId, detail)) {
                // Cashfree's own record says FAILED/REJECTED/REVERSED: the repository told finance (LATE_UNPOSTED).
                log.error("payout {}: {}; not posted: Cashfree's record of the transfer says otherwise: finance must look", payoutId, detail);
                return false;
            }
        } catch (LedgerException e) {
            if (e.code() != LedgerException.Code.INSUFFICIENT_FUNDS) throw e; // transient: retried
            recordForFinance(payoutId, detail + "; could not be posted: " + e.getMessage());
            return false;
        } catch (IllegalStateException e) { // no longer FAILED/REJECTED: someone else decided meanwhile
            recordForFinance(payoutId, detail + "; not posted: " + e.getMessage());
            return false;
        }
        paid.increment();
        log.warn("payout {}: {}; posted as paid (its own journals)", payoutId, detail); // the repository refreshed the settlement
        return true;
    }

    @Override
    public void recordForFinance(String payoutId, String detail) {
        payouts.recordEvent(payoutId, "LATE_UNPOSTED", "cashfree", detail);
        log.error("payout {}: {}: finance must look", payoutId, detail);
    }
}
