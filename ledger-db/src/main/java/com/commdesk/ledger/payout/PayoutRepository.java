package com.commdesk.ledger.payout;

import com.commdesk.ledger.Ledger;
import com.commdesk.ledger.payout.Beneficiaries.Beneficiary;
import com.commdesk.ledger.payout.FinanceResolutions.RecipientGroup;
import com.commdesk.ledger.payout.FinanceResolutions.Resolution;
import com.commdesk.ledger.payout.LateAnswers.LateAnswer;
import com.commdesk.ledger.payout.LateAnswers.LateCandidate;
import com.commdesk.ledger.payout.PayoutEvents.PayoutEvent;
import com.commdesk.ledger.payout.PayoutReturns.PaidAction;
import com.commdesk.ledger.payout.PayoutTransfers.SendPermit;
import com.commdesk.ledger.payout.Settlements.CommunityPolicy;
import com.commdesk.ledger.payout.Settlements.Settlement;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;

/**
 * The payout repositories of this package behind one object, for the callers that still take one (the activities,
 * the finance API, tests): every method delegates to the use case's own class, with the same transaction. New code
 * takes the class it needs ({@link Settlements}, {@link PayoutTransfers}, {@link PayoutReturns}, {@link LateAnswers},
 * {@link FinanceResolutions}, {@link Beneficiaries}, {@link PayoutFlags}, {@link PayoutEvents}).
 */
public final class PayoutRepository {
    private final Beneficiaries beneficiaries;
    private final PayoutFlags flags;
    private final PayoutEvents events;
    private final Settlements settlements;
    private final PayoutTransfers transfers;
    private final PayoutReturns returns;
    private final LateAnswers late;
    private final FinanceResolutions finance;

    public PayoutRepository(Ledger ledger) {
        this.beneficiaries = new Beneficiaries(ledger);
        this.flags = new PayoutFlags(ledger);
        this.events = new PayoutEvents(ledger);
        this.settlements = new Settlements(ledger);
        this.transfers = new PayoutTransfers(ledger);
        this.returns = new PayoutReturns(ledger);
        this.late = new LateAnswers(ledger);
        this.finance = new FinanceResolutions(ledger);
    }

    public PayoutRepository(DSLContext dsl) {
        this(new Ledger(dsl));
    }

    // ---- Beneficiaries -------------------------------------------------------------------------------
    public Beneficiary saveBeneficiary(String communityId, String role, String userId, String givenName, String bankAccountNumber,
                                       String bankIfsc, String vpa, String actor) {
        return beneficiaries.saveBeneficiary(communityId, role, userId, givenName, bankAccountNumber, bankIfsc, vpa, actor);
    }

    public Optional<Beneficiary> beneficiary(String beneficiaryId) {
        return beneficiaries.beneficiary(beneficiaryId);
    }

    public Optional<Beneficiary> currentBeneficiary(String communityId, String role, String userId) {
        return beneficiaries.currentBeneficiary(communityId, role, userId);
    }

    public void markRegistered(String beneficiaryId, String cashfreeBeneficiaryId) {
        beneficiaries.markRegistered(beneficiaryId, cashfreeBeneficiaryId);
    }

    public void markUnregistered(String beneficiaryId) {
        beneficiaries.markUnregistered(beneficiaryId);
    }

    // ---- PayoutFlags ---------------------------------------------------------------------------------
    public void flagRecipient(String communityId, String role, String userId, String reason, String actor) {
        flags.flagRecipient(communityId, role, userId, reason, actor);
    }

    public int clearFlag(String communityId, String role, String userId, String actor) {
        return flags.clearFlag(communityId, role, userId, actor);
    }

    public boolean flagPayout(String payoutId, String reason, String actor) {
        return flags.flagPayout(payoutId, reason, actor);
    }

    // ---- PayoutEvents --------------------------------------------------------------------------------
    public void recordEvent(String payoutId, String status, String actor, String detail) {
        events.recordEvent(payoutId, status, actor, detail);
    }

    public List<PayoutEvent> events(String payoutId) {
        return events.events(payoutId);
    }

    // ---- Settlements ---------------------------------------------------------------------------------
    public Optional<CommunityPolicy> policy(String communityId) {
        return settlements.policy(communityId);
    }

    public List<Payout> openSettlement(String settlementId, String communityId, String cycle, OffsetDateTime cutOff,
                                       String requestedBy, long approvalThresholdPaise) {
        return settlements.openSettlement(settlementId, communityId, cycle, cutOff, requestedBy, approvalThresholdPaise);
    }

    public int open(String settlementId, String communityId, String cycle, OffsetDateTime cutOff, String requestedBy,
                    long approvalThresholdPaise) {
        return settlements.open(settlementId, communityId, cycle, cutOff, requestedBy, approvalThresholdPaise);
    }

    public List<Payout> payoutPage(String settlementId, String afterPayoutId, int limit) {
        return settlements.payoutPage(settlementId, afterPayoutId, limit);
    }

    public List<Payout> payoutsOf(String settlementId) {
        return settlements.payoutsOf(settlementId);
    }

    public Optional<Payout> payout(String payoutId) {
        return settlements.payout(payoutId);
    }

    public Optional<Settlement> settlement(String settlementId) {
        return settlements.settlement(settlementId);
    }

    public String refreshSettlement(String settlementId) {
        return settlements.refreshSettlement(settlementId);
    }

    // ---- PayoutTransfers -----------------------------------------------------------------------------
    public long lock(String payoutId) {
        return transfers.lock(payoutId);
    }

    public boolean setStatus(String payoutId, String status, String actor, String detail) {
        return transfers.setStatus(payoutId, status, actor, detail);
    }

    public void recordDecision(String payoutId, boolean approved, String approver, String note) {
        transfers.recordDecision(payoutId, approved, approver, note);
    }

    public boolean recordDecision(String payoutId, boolean approved, String approver, String note, Integer flagGenerationSeen) {
        return transfers.recordDecision(payoutId, approved, approver, note, flagGenerationSeen);
    }

    public boolean markTransferRequested(String payoutId) {
        return transfers.markTransferRequested(payoutId);
    }

    public SendPermit sendPermit(String payoutId) {
        return transfers.sendPermit(payoutId);
    }

    public void recordCashfree(String payoutId, String cfTransferId, String status, String statusCode) {
        transfers.recordCashfree(payoutId, cfTransferId, status, statusCode);
    }

    public void recordCashfree(String payoutId, String cfTransferId, String status, String statusCode, String utr) {
        transfers.recordCashfree(payoutId, cfTransferId, status, statusCode, utr);
    }

    public String recordCashfreeAnswer(String payoutId, String status, String statusCode) {
        return transfers.recordCashfreeAnswer(payoutId, status, statusCode);
    }

    public String recordCashfreeAnswer(String payoutId, String status, String statusCode, String utr) {
        return transfers.recordCashfreeAnswer(payoutId, status, statusCode, utr);
    }

    public void recordBankUtr(String payoutId, String status, String utr) {
        transfers.recordBankUtr(payoutId, status, utr);
    }

    public OffsetDateTime markPaid(String payoutId) {
        return transfers.markPaid(payoutId);
    }

    public OffsetDateTime markPaid(String payoutId, boolean onFinanceWord) {
        return transfers.markPaid(payoutId, onFinanceWord);
    }

    public void release(String payoutId, String finalStatus, String reason) {
        transfers.release(payoutId, finalStatus, reason);
    }

    public boolean markNeedsAttention(String payoutId, String why) {
        return transfers.markNeedsAttention(payoutId, why);
    }

    // ---- PayoutReturns -------------------------------------------------------------------------------
    public PaidAction reversePaid(String payoutId, String reason) {
        return returns.reversePaid(payoutId, reason);
    }

    public PaidAction holdPaid(String payoutId, String why) {
        return returns.holdPaid(payoutId, why);
    }

    // ---- LateAnswers ---------------------------------------------------------------------------------
    public boolean latePaid(String payoutId, String detail) {
        return late.latePaid(payoutId, detail);
    }

    public LateAnswer lateAnswer(String payoutId, String status, String code, String detail) {
        return late.lateAnswer(payoutId, status, code, detail);
    }

    public LateAnswer lateAnswer(String payoutId, String before, String status, String code, String detail) {
        return late.lateAnswer(payoutId, before, status, code, detail);
    }

    public List<Payout> unpostedReturns(int limit) {
        return late.unpostedReturns(limit);
    }

    public List<LateCandidate> unpostedReturns(LateCandidate after, int limit) {
        return late.unpostedReturns(after, limit);
    }

    public List<LateCandidate> unpostedReturns(OffsetDateTime afterUpdatedAt, String afterPayoutId, int limit) {
        return late.unpostedReturns(afterUpdatedAt, afterPayoutId, limit);
    }

    public long unpostedReturnsCount() {
        return late.unpostedReturnsCount();
    }

    // ---- FinanceResolutions --------------------------------------------------------------------------
    public List<Payout> needingAttention(String communityId, int limit) {
        return finance.needingAttention(communityId, limit);
    }

    public long countNeedingAttention() {
        return finance.countNeedingAttention();
    }

    public Resolution resolve(String payoutId, String outcome, String actor, String note) {
        return finance.resolve(payoutId, outcome, actor, note);
    }

    public Optional<String> settleHeld(String payoutId) {
        return finance.settleHeld(payoutId);
    }

    public boolean heldByLedger(String payoutId) {
        return finance.heldByLedger(payoutId);
    }

    public List<RecipientGroup> pendingByRecipient(String communityId, int limit) {
        return finance.pendingByRecipient(communityId, limit);
    }
}
