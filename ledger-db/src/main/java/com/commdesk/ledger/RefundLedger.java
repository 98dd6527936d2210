package com.commdesk.ledger;

import static com.commdesk.ledger.jooq.Tables.JOURNAL;
import static com.commdesk.ledger.jooq.Tables.LEDGER_ACCOUNT;
import static com.commdesk.ledger.jooq.Tables.PLATFORM_REVENUE;
import static com.commdesk.ledger.jooq.Tables.POSTING;
import static com.commdesk.ledger.jooq.Tables.REFUND;
import static com.commdesk.ledger.jooq.Tables.REFUND_APPROVAL;
import static com.commdesk.ledger.jooq.Tables.REFUND_OUTCOME;
import static com.commdesk.ledger.jooq.Tables.REVENUE_DISTRIBUTION;
import static com.commdesk.ledger.jooq.Tables.REVENUE_TRANSACTION;
import static com.commdesk.ledger.jooq.Tables.WALLET_HOLD;

import com.commdesk.fees.Proportional;
import com.commdesk.fees.RefundSplit;
import com.commdesk.ledger.AccountCodes.GstHead;
import com.commdesk.ledger.AccountCodes.WalletBucket;
import com.commdesk.ledger.WalletMovements.Member;
import com.commdesk.ledger.jooq.tables.records.RefundOutcomeRecord;
import com.commdesk.ledger.jooq.tables.records.RefundRecord;
import com.commdesk.ledger.jooq.tables.records.RevenueTransactionRecord;
import com.commdesk.ledger.jooq.tables.records.WalletHoldRecord;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Refunds and chargebacks in the books (docs/payments.md, "Refunds").
 *
 * <ol>
 *   <li>{@link #reserve}: before Cashfree is asked, one REFUND journal takes the refund out of the
 *       payment's parts and its members' wallets into {@code refunds_in_flight}, under the payment's
 *       lock, so concurrent refunds and chargebacks can never together exceed the payment. A
 *       CHARGEBACK (Cashfree already took the money) is posted against cashfree_clearing and is final.</li>
 *   <li>{@link #settle}: Cashfree says SUCCESS: REFUND_PAID moves it from refunds_in_flight to cashfree_clearing.</li>
 *   <li>{@link #cancel}: Cashfree says CANCELLED or FAILED (or never had it): a REVERSAL gives every
 *       part back — each member's share to the hold it came from if that hold is still open, else to
 *       available (what they owe repaid first) — and the refundable amount is free again.</li>
 * </ol>
 * A refund without an outcome is PENDING. Every step is idempotent by refund id; the refund id is the
 * caller's, but every journal key is the writer's ({@code refund:<transaction>:<refund id>}, ...).
 */
public final class RefundLedger {
    public static final int MAX_PAGE = 500;

    public enum Status { PENDING, SUCCEEDED, FAILED, CANCELLED }

    /** A refund as the books have it. */
    public record Refund(String refundId, UUID transactionId, RefundPosting.Kind kind, long amountPaise, String reason, long journalId,
                         long fromPendingPaise, long fromAvailablePaise, long toReceivablePaise, Status status, Long outcomeJournalId,
                         String cashfreeRefundId, String detail, String decidedBy, OffsetDateTime createdAt) {}

    private final Ledger ledger;
    private final WalletMovements movements;

    public RefundLedger(Ledger ledger) {
        this.ledger = ledger;
        this.movements = new WalletMovements(ledger);
    }

    /**
     * Posts a refund that is already done: a chargeback, or a refund Cashfree has paid ({@link #reserve}
     * then {@link #settle}).
     */
    public RefundPosting.Posted postRefund(RefundPosting r) {
        RefundPosting.Posted posted = reserve(r);
        if (r.kind() == RefundPosting.Kind.REFUND) settle(r.refundId(), null);
        return posted;
    }

    /**
     * Reserves the refund in the books (see the class comment). Refused, with nothing written, when it
     * would take the payment's refunds and chargebacks beyond its amount (REFUND_EXCEEDS_PAYMENT), when
     * the payment was reversed (ALREADY_REVERSED) or is not posted (NOT_FOUND), or while the refund's approval is not
     * APPROVED (WRONG_STATE). The same refund id again
     * returns the first reservation; on another payment or with other content it is an IDEMPOTENCY_CONFLICT.
     */
    public RefundPosting.Posted reserve(RefundPosting r) {
        return ledger.inTransaction(tx -> reserveTx(tx, r));
    }

    private RefundPosting.Posted reserveTx(DSLContext tx, RefundPosting r) {
        RefundRecord existing = tx.selectFrom(REFUND).where(REFUND.REFUND_ID.eq(r.refundId())).fetchOptional().orElse(null);
        if (existing != null) return alreadyReserved(existing, r);
        // Lock order of every writer touching a payment after posting: the payment, its holds, then wallets.
        if (!lockPayment(tx, r.transactionId())) {
            throw new LedgerException(LedgerException.Code.NOT_FOUND, "no posted payment " + r.transactionId());
        }
        existing = tx.selectFrom(REFUND).where(REFUND.REFUND_ID.eq(r.refundId())).fetchOptional().orElse(null);
        if (existing != null) return alreadyReserved(existing, r);
        // A refund waiting for finance, or rejected, is never reserved, whoever started its workflow (097 refuses it too).
        String approval = tx.select(REFUND_APPROVAL.STATUS).from(REFUND_APPROVAL).where(REFUND_APPROVAL.REFUND_ID.eq(r.refundId()))
                .fetchOptional(REFUND_APPROVAL.STATUS).orElse(RefundApprovals.Status.APPROVED.name());
        if (!approval.equals(RefundApprovals.Status.APPROVED.name())) {
            throw new LedgerException(LedgerException.Code.WRONG_STATE, "refund " + r.refundId() + " is " + approval
                    + ", not approved: nothing is reserved");
        }
        RevenueTransactionRecord rt = tx.selectFrom(REVENUE_TRANSACTION).where(REVENUE_TRANSACTION.TRANSACTION_ID.eq(r.transactionId())).fetchSingle();
        if (tx.fetchExists(JOURNAL, JOURNAL.REVERSES_JOURNAL_ID.eq(rt.getJournalId()))) {
            throw new LedgerException(LedgerException.Code.ALREADY_REVERSED, "payment " + r.transactionId() + " was reversed; nothing to refund");
        }
        List<RefundRecord> standing = standing(tx, r.transactionId());
        long refunded = 0;
        long[] partsRefunded = new long[6];
        for (RefundRecord x : standing) {
            refunded = Math.addExact(refunded, x.getAmountPaise());
            long[] parts = {n(x.getPartGstPaise()), n(x.getPartGatewayPaise()), n(x.getPartPlatformPaise()), n(x.getPartTcsPaise()),
                    n(x.getPartTdsPaise()), n(x.getPartNetPaise())};
            for (int i = 0; i < 6; i++) partsRefunded[i] = Math.addExact(partsRefunded[i], parts[i]);
        }
        if (Math.addExact(refunded, r.amountPaise()) > rt.getGrossAmountPaise()) {
            throw new LedgerException(LedgerException.Code.REFUND_EXCEEDS_PAYMENT, "refunding " + r.amountPaise() + " paise exceeds what is "
                    + "left of the payment: it would make " + (refunded + r.amountPaise()) + " of a " + rt.getGrossAmountPaise() + " paise payment");
        }
        boolean onTop = "ON_TOP".equals(rt.getPlatformFeeGstMode());
        // A gateway fee the platform absorbed was never part of what the customer paid (041): the parts sum to gross.
        long gatewayTotal = "PLATFORM".equals(rt.getGatewayFeeBearer()) ? 0 : rt.getPaymentGatewayFeePaise() + rt.getPaymentGatewayGstPaise();
        long[] original = {rt.getGstAmountPaise(), gatewayTotal,
                onTop ? rt.getPlatformFeePaise() + rt.getPlatformFeeGstPaise() : rt.getPlatformFeePaise(),
                rt.getTcsPaise(), rt.getTdsPaise(), rt.getNetRevenuePaise()};
        long[] remaining = new long[6];
        for (int i = 0; i < 6; i++) remaining[i] = original[i] - partsRefunded[i];
        RefundSplit.Parts part = RefundSplit.parts(r.amountPaise(), RefundSplit.Parts.of(remaining));
        boolean platformRefunded = r.platformFee() == RefundPosting.PlatformFee.REFUNDED;
        boolean platformBearsGateway = r.gatewayFee() == RefundPosting.GatewayFee.BORNE_BY_PLATFORM;
        long community = RefundSplit.communityCharge(part, platformRefunded, platformBearsGateway);

        String c = rt.getCommunityId();
        List<Long> refundJournals = standing.stream().map(RefundRecord::getJournalId).toList();
        List<JournalLine> lines = new ArrayList<>();
        lines.add(r.kind() == RefundPosting.Kind.CHARGEBACK
                ? JournalLine.system(AccountCodes.CASHFREE_CLEARING, "ASSET", "CASHFREE_CLEARING", -r.amountPaise())
                : JournalLine.system(AccountCodes.REFUNDS_IN_FLIGHT, "LIABILITY", "REFUNDS_IN_FLIGHT", -r.amountPaise()));
        GstHead[] heads = GstHead.values();
        if (part.gst() != 0) {
            long[] saleHeads = {rt.getGstCgstPaise(), rt.getGstSgstPaise(), rt.getGstIgstPaise()};
            long[] split = Proportional.split(part.gst(), remainingHeads(tx, saleHeads, AccountCodes::gstOutputPayable, refundJournals));
            for (int i = 0; i < 3; i++) {
                if (split[i] != 0) lines.add(JournalLine.system(AccountCodes.gstOutputPayable(heads[i]), "LIABILITY", "GST_OUTPUT_PAYABLE", split[i]));
            }
        }
        if (part.tcs() != 0) lines.add(JournalLine.system(AccountCodes.TCS_PAYABLE, "LIABILITY", "TCS_PAYABLE", part.tcs()));
        if (part.tds() != 0) lines.add(JournalLine.system(AccountCodes.TDS_PAYABLE, "LIABILITY", "TDS_PAYABLE", part.tds()));
        long platformFeeRefunded = 0;
        long platformGstRefunded = 0;
        if (platformRefunded && part.platform() != 0) {
            // The platform's GST heads as the payment journal booked them, less what earlier refunds reversed.
            long[] platformHeads = new long[3];
            for (int i = 0; i < 3; i++) platformHeads[i] = -sumPostings(tx, AccountCodes.platformGstPayable(heads[i]), List.of(rt.getJournalId()));
            long[] gstLeft = remainingHeads(tx, platformHeads, AccountCodes::platformGstPayable, refundJournals);
            long incomeLeft = (onTop ? rt.getPlatformFeePaise() : rt.getPlatformFeePaise() - rt.getPlatformFeeGstPaise())
                    - sumPostings(tx, AccountCodes.PLATFORM_FEE_INCOME, refundJournals);
            long[] split = Proportional.split(part.platform(), new long[] {incomeLeft, gstLeft[0], gstLeft[1], gstLeft[2]});
            if (split[0] != 0) lines.add(JournalLine.system(AccountCodes.PLATFORM_FEE_INCOME, "INCOME", "PLATFORM_FEE_INCOME", split[0]));
            for (int i = 0; i < 3; i++) {
                if (split[i + 1] != 0) {
                    lines.add(JournalLine.system(AccountCodes.platformGstPayable(heads[i]), "LIABILITY", "PLATFORM_GST_PAYABLE", split[i + 1]));
                }
                platformGstRefunded += split[i + 1];
            }
            platformFeeRefunded = onTop ? split[0] : split[0] + platformGstRefunded;
        }
        if (platformBearsGateway && part.gateway() != 0) {
            lines.add(JournalLine.system(AccountCodes.GATEWAY_FEE_RECOVERY, "INCOME", "GATEWAY_FEE_RECOVERY", part.gateway()));
        }

        var d = REVENUE_DISTRIBUTION;
        var shares = tx.select(d.ROLE_NAME, d.USER_ID, d.AMOUNT_PAISE).from(d).where(d.TRANSACTION_ID.eq(r.transactionId()))
                .orderBy(d.ROLE_NAME, d.USER_ID).fetch();
        long[] weights = shares.stream().mapToLong(x -> x.value3()).toArray();
        long[] owed = new long[weights.length];
        if (community > 0) {
            if (weights.length == 0 || java.util.Arrays.stream(weights).sum() == 0) {
                throw new LedgerException(LedgerException.Code.NOT_FOUND, "payment " + r.transactionId()
                        + " has no member shares to take the community's " + community + " paise from");
            }
            long[] left = new long[weights.length];
            for (int i = 0; i < weights.length; i++) {
                long given = sumMemberPostings(tx, c, shares.get(i).value1(), shares.get(i).value2(), refundJournals);
                left[i] = Math.max(0, weights[i] - given);
            }
            owed = RefundSplit.members(community, left, weights);
        }
        Map<String, WalletHoldRecord> holdByMember = new HashMap<>();
        for (WalletHoldRecord h : openHolds(tx, r.transactionId())) holdByMember.put(WalletMovements.key(h.getRole(), h.getUserId()), h);
        List<Member> members = shares.stream().map(x -> new Member(c, x.value1(), x.value2())).toList();
        Map<String, long[]> balances = WalletMovements.lockWallets(tx, c, members);
        long fromPending = 0, fromAvailable = 0, toReceivable = 0;
        Map<Long, Long> heldTaken = new LinkedHashMap<>();
        for (int i = 0; i < owed.length; i++) {
            if (owed[i] == 0) continue;
            Member m = members.get(i);
            String key = WalletMovements.key(m.role(), m.userId());
            long[] bal = balances.get(key);
            // Pending money is pooled across payments: only this payment's own unreleased hold may be taken.
            WalletHoldRecord hold = holdByMember.get(key);
            long held = hold == null ? 0 : Math.min(bal[0], hold.getAmountPaise());
            RefundSplit.Take t = RefundSplit.take(owed[i], held, bal[1]);
            if (t.fromPending() != 0) {
                lines.add(WalletMovements.memberLine(m, WalletBucket.PENDING, t.fromPending()));
                heldTaken.put(hold.getHoldId(), t.fromPending());
            }
            if (t.fromAvailable() != 0) lines.add(WalletMovements.memberLine(m, WalletBucket.AVAILABLE, t.fromAvailable()));
            if (t.toReceivable() != 0) lines.add(WalletMovements.memberLine(m, WalletBucket.RECEIVABLE, t.toReceivable()));
            fromPending += t.fromPending();
            fromAvailable += t.fromAvailable();
            toReceivable += t.toReceivable();
        }
        JournalKind kind = r.kind() == RefundPosting.Kind.CHARGEBACK ? JournalKind.CHARGEBACK : JournalKind.REFUND;
        long journalId = ledger.writer().write(tx, Journal.of(JournalKey.refund(kind, r.transactionId(), r.refundId()), c,
                r.kind() + " of " + r.amountPaise() + " paise of payment " + r.transactionId() + ": " + r.reason(), null, lines,
                r.toString())).journalId();
        tx.insertInto(REFUND)
                .set(REFUND.REFUND_ID, r.refundId()).set(REFUND.TRANSACTION_ID, r.transactionId()).set(REFUND.KIND, r.kind().name())
                .set(REFUND.AMOUNT_PAISE, r.amountPaise()).set(REFUND.REASON, r.reason())
                .set(REFUND.GATEWAY_FEE_POLICY, r.gatewayFee().name()).set(REFUND.PLATFORM_FEE_POLICY, r.platformFee().name())
                .set(REFUND.JOURNAL_ID, journalId).set(REFUND.FROM_PENDING_PAISE, fromPending)
                .set(REFUND.FROM_AVAILABLE_PAISE, fromAvailable).set(REFUND.TO_RECEIVABLE_PAISE, toReceivable)
                .set(REFUND.PART_GST_PAISE, part.gst()).set(REFUND.PART_GATEWAY_PAISE, part.gateway())
                .set(REFUND.PART_PLATFORM_PAISE, part.platform()).set(REFUND.PART_TCS_PAISE, part.tcs())
                .set(REFUND.PART_TDS_PAISE, part.tds()).set(REFUND.PART_NET_PAISE, part.net())
                .set(REFUND.PLATFORM_FEE_REFUNDED_PAISE, platformFeeRefunded).set(REFUND.PLATFORM_GST_REFUNDED_PAISE, platformGstRefunded)
                .execute();
        if (platformFeeRefunded != 0 || platformGstRefunded != 0) {
            platformRevenue(tx, rt.getTransactionId(), "REFUND", journalId, -platformFeeRefunded, -platformGstRefunded);
        }
        // What was taken from pending no longer waits to be released: shrink (or close) those holds.
        for (var e : heldTaken.entrySet()) {
            tx.update(WALLET_HOLD)
                    .set(WALLET_HOLD.CANCELLED_JOURNAL_ID, DSL.when(WALLET_HOLD.AMOUNT_PAISE.eq(e.getValue()), journalId)
                            .otherwise(WALLET_HOLD.CANCELLED_JOURNAL_ID))
                    .set(WALLET_HOLD.AMOUNT_PAISE, DSL.when(WALLET_HOLD.AMOUNT_PAISE.eq(e.getValue()), WALLET_HOLD.AMOUNT_PAISE)
                            .otherwise(WALLET_HOLD.AMOUNT_PAISE.minus(e.getValue())))
                    .where(WALLET_HOLD.HOLD_ID.eq(e.getKey()))
                    .execute();
        }
        if (r.kind() == RefundPosting.Kind.CHARGEBACK) {
            tx.insertInto(REFUND_OUTCOME).set(REFUND_OUTCOME.REFUND_ID, r.refundId()).set(REFUND_OUTCOME.OUTCOME, "SUCCEEDED")
                    .set(REFUND_OUTCOME.JOURNAL_ID, journalId).set(REFUND_OUTCOME.DETAIL, "chargeback: Cashfree already took it back")
                    .execute();
        }
        return new RefundPosting.Posted(r.refundId(), journalId, r.amountPaise(), fromPending, fromAvailable, toReceivable, true);
    }

    /**
     * Cashfree paid the refund: REFUND_PAID (refunds_in_flight -> cashfree_clearing), outcome SUCCEEDED.
     * Idempotent. WRONG_STATE if the refund was already cancelled or failed (then Cashfree and the books
     * disagree: an operator must look), NOT_FOUND if it was never reserved.
     */
    public Refund settle(String refundId, String cashfreeRefundId) {
        return settle(refundId, cashfreeRefundId, null);
    }

    /**
     * As {@link #settle(String, String)}, with who decided it recorded as the outcome's decided_by (finance's two-person
     * resolution PAID of a mismatch names both approvers, as {@link #cancel} records a RELEASED one's; null: Cashfree's answer).
     */
    public Refund settle(String refundId, String cashfreeRefundId, String decidedBy) {
        return ledger.inTransaction(tx -> {
            RefundRecord r = requireRefund(tx, refundId);
            if (r.getKind().equals("CHARGEBACK")) return toRefund(tx, r);
            lockPayment(tx, r.getTransactionId());
            RefundOutcomeRecord outcome = outcome(tx, refundId);
            if (outcome != null) {
                if (outcome.getOutcome().equals("SUCCEEDED")) return toRefund(tx, r);
                throw new LedgerException(LedgerException.Code.WRONG_STATE, "refund " + refundId + " is " + outcome.getOutcome()
                        + " in the books but Cashfree says SUCCESS: an operator must look");
            }
            String communityId = tx.select(REVENUE_TRANSACTION.COMMUNITY_ID).from(REVENUE_TRANSACTION)
                    .where(REVENUE_TRANSACTION.TRANSACTION_ID.eq(r.getTransactionId())).fetchSingle(REVENUE_TRANSACTION.COMMUNITY_ID);
            long journalId = ledger.writer().write(tx, Journal.of(JournalKey.refund(JournalKind.REFUND_PAID, r.getTransactionId(), refundId),
                    communityId, "Cashfree paid refund " + refundId + (cashfreeRefundId == null ? "" : " (" + cashfreeRefundId + ")"), null,
                    List.of(JournalLine.system(AccountCodes.REFUNDS_IN_FLIGHT, "LIABILITY", "REFUNDS_IN_FLIGHT", r.getAmountPaise()),
                            JournalLine.system(AccountCodes.CASHFREE_CLEARING, "ASSET", "CASHFREE_CLEARING", -r.getAmountPaise())),
                    "refund_paid|" + refundId + "|" + r.getAmountPaise())).journalId();
            tx.insertInto(REFUND_OUTCOME).set(REFUND_OUTCOME.REFUND_ID, refundId).set(REFUND_OUTCOME.OUTCOME, "SUCCEEDED")
                    .set(REFUND_OUTCOME.JOURNAL_ID, journalId).set(REFUND_OUTCOME.CASHFREE_REFUND_ID, cashfreeRefundId)
                    .set(REFUND_OUTCOME.DECIDED_BY, decidedBy).execute();
            return toRefund(tx, r);
        });
    }

    /**
     * Cashfree cancelled or failed the refund, or never had it: the reservation is reversed (see the
     * class comment) and the outcome recorded with who decided (null: Cashfree's answer). Idempotent.
     * WRONG_STATE for a chargeback or a refund Cashfree already paid.
     */
    public Refund cancel(String refundId, Status outcome, String detail, String decidedBy) {
        if (outcome != Status.FAILED && outcome != Status.CANCELLED) throw new IllegalArgumentException("outcome must be FAILED or CANCELLED");
        return ledger.inTransaction(tx -> {
            RefundRecord r = requireRefund(tx, refundId);
            if (r.getKind().equals("CHARGEBACK")) {
                throw new LedgerException(LedgerException.Code.WRONG_STATE, "chargeback " + refundId + " is final");
            }
            lockPayment(tx, r.getTransactionId());
            RefundOutcomeRecord existing = outcome(tx, refundId);
            if (existing != null) {
                if (!existing.getOutcome().equals("SUCCEEDED")) return toRefund(tx, r);
                throw new LedgerException(LedgerException.Code.WRONG_STATE, "refund " + refundId + " was paid by Cashfree; it cannot be cancelled");
            }
            long reversalId = reverseReservation(tx, r);
            tx.insertInto(REFUND_OUTCOME).set(REFUND_OUTCOME.REFUND_ID, refundId).set(REFUND_OUTCOME.OUTCOME, outcome.name())
                    .set(REFUND_OUTCOME.JOURNAL_ID, reversalId).set(REFUND_OUTCOME.DETAIL, cut(detail, 1000))
                    .set(REFUND_OUTCOME.DECIDED_BY, decidedBy).execute();
            return toRefund(tx, r);
        });
    }

    private long reverseReservation(DSLContext tx, RefundRecord r) {
        String c = tx.select(REVENUE_TRANSACTION.COMMUNITY_ID).from(REVENUE_TRANSACTION)
                .where(REVENUE_TRANSACTION.TRANSACTION_ID.eq(r.getTransactionId())).fetchSingle(REVENUE_TRANSACTION.COMMUNITY_ID);
        Map<String, WalletHoldRecord> holds = new HashMap<>();
        for (WalletHoldRecord h : tx.selectFrom(WALLET_HOLD).where(WALLET_HOLD.TRANSACTION_ID.eq(r.getTransactionId()))
                .orderBy(WALLET_HOLD.HOLD_ID).forUpdate().fetch()) {
            holds.put(WalletMovements.key(h.getRole(), h.getUserId()), h);
        }
        var l = LEDGER_ACCOUNT;
        var original = tx.select(l.CODE, l.KIND, l.PURPOSE, l.COMMUNITY_ID, l.ROLE, l.USER_ID, POSTING.AMOUNT_PAISE)
                .from(POSTING).join(l).on(l.ACCOUNT_ID.eq(POSTING.ACCOUNT_ID))
                .where(POSTING.JOURNAL_ID.eq(r.getJournalId())).orderBy(POSTING.POSTING_ID).fetch();
        Map<String, Member> members = new LinkedHashMap<>();
        for (var p : original) {
            if (p.value4() != null && p.value5() != null) members.put(WalletMovements.key(p.value5(), p.value6()), new Member(c, p.value5(), p.value6()));
        }
        Map<String, long[]> balances = WalletMovements.lockWallets(tx, c, members.values());
        List<JournalLine> lines = new ArrayList<>();
        Map<Long, Long> holdsRestored = new LinkedHashMap<>();
        // Holds another refund of this payment closed (it took what was left): still holds, not released; what this
        // cancellation returns goes back into them (review s12: it became available at once, before the hold period ended).
        java.util.Set<Long> otherRefunds = new java.util.HashSet<>(tx.select(REFUND.JOURNAL_ID).from(REFUND)
                .where(REFUND.TRANSACTION_ID.eq(r.getTransactionId()), REFUND.REFUND_ID.ne(r.getRefundId())).fetch(REFUND.JOURNAL_ID));
        java.util.Set<Long> reopened = new java.util.HashSet<>();
        for (var p : original) {
            WalletBucket bucket = AccountCodes.bucketOf(p.value3());
            long amount = p.value7();
            if (bucket == null) {
                lines.add(new JournalLine(p.value1(), p.value2(), p.value3(), p.value4(), p.value5(), p.value6(), null, -amount));
                continue;
            }
            Member m = members.get(WalletMovements.key(p.value5(), p.value6()));
            switch (bucket) {
                case PENDING -> {
                    // Back to the hold it came from while that hold is still open; else it is available now.
                    WalletHoldRecord h = holds.get(WalletMovements.key(m.role(), m.userId()));
                    boolean closedByAnother = h != null && h.getReleasedJournalId() == null && h.getCancelledJournalId() != null
                            && otherRefunds.contains(h.getCancelledJournalId());
                    boolean open = h != null && h.getReleasedJournalId() == null
                            && (h.getCancelledJournalId() == null || h.getCancelledJournalId().equals(r.getJournalId()) || closedByAnother);
                    if (open) holdsRestored.merge(h.getHoldId(), amount, Long::sum);
                    if (closedByAnother) reopened.add(h.getHoldId());
                    lines.add(WalletMovements.memberLine(m, open ? WalletBucket.PENDING : WalletBucket.AVAILABLE, -amount));
                }
                case AVAILABLE -> lines.add(WalletMovements.memberLine(m, WalletBucket.AVAILABLE, -amount));
                case RECEIVABLE -> {
                    // What they still owe of it is forgiven; what they already repaid comes back as available.
                    long stillOwed = Math.min(amount, balances.get(WalletMovements.key(m.role(), m.userId()))[3]);
                    if (stillOwed != 0) lines.add(WalletMovements.memberLine(m, WalletBucket.RECEIVABLE, -stillOwed));
                    if (amount > stillOwed) lines.add(WalletMovements.memberLine(m, WalletBucket.AVAILABLE, -(amount - stillOwed)));
                }
                default -> throw new IllegalStateException("a refund journal never posts to " + bucket);
            }
        }
        long reversalId = ledger.writer().write(tx, Journal.of(JournalKey.reversal(r.getJournalId()), c,
                "refund " + r.getRefundId() + " cancelled: its reservation (journal " + r.getJournalId() + ") returned", r.getJournalId(),
                lines, "refund-cancelled|" + r.getRefundId())).journalId();
        for (var e : holdsRestored.entrySet()) {
            if (reopened.contains(e.getKey())) {
                // Closed by another refund, which took all that was left: nothing remained, so it holds exactly what comes back.
                tx.update(WALLET_HOLD).set(WALLET_HOLD.AMOUNT_PAISE, e.getValue()).setNull(WALLET_HOLD.CANCELLED_JOURNAL_ID)
                        .where(WALLET_HOLD.HOLD_ID.eq(e.getKey())).execute();
                continue;
            }
            tx.update(WALLET_HOLD)
                    .set(WALLET_HOLD.AMOUNT_PAISE, DSL.when(WALLET_HOLD.CANCELLED_JOURNAL_ID.eq(r.getJournalId()), WALLET_HOLD.AMOUNT_PAISE)
                            .otherwise(WALLET_HOLD.AMOUNT_PAISE.plus(e.getValue())))
                    .set(WALLET_HOLD.CANCELLED_JOURNAL_ID, DSL.when(WALLET_HOLD.CANCELLED_JOURNAL_ID.eq(r.getJournalId()), DSL.inline((Long) null))
                            .otherwise(WALLET_HOLD.CANCELLED_JOURNAL_ID))
                    .where(WALLET_HOLD.HOLD_ID.eq(e.getKey()))
                    .execute();
        }
        long fee = n(r.getPlatformFeeRefundedPaise());
        long gst = n(r.getPlatformGstRefundedPaise());
        if (fee != 0 || gst != 0) platformRevenue(tx, r.getTransactionId(), "REFUND_CANCELLED", reversalId, fee, gst);
        movements.recover(tx, reversalId, c, members.values());
        return reversalId;
    }

    private static void platformRevenue(DSLContext tx, UUID transactionId, String kind, long journalId, long feePaise, long gstPaise) {
        tx.insertInto(PLATFORM_REVENUE)
                .set(PLATFORM_REVENUE.PLATFORM_REVENUE_ID, UUID.nameUUIDFromBytes(("platform:" + kind + ":" + journalId).getBytes(StandardCharsets.UTF_8)))
                .set(PLATFORM_REVENUE.TRANSACTION_ID, transactionId)
                .set(PLATFORM_REVENUE.AMOUNT_PAISE, feePaise).set(PLATFORM_REVENUE.GST_AMOUNT_PAISE, gstPaise)
                .set(PLATFORM_REVENUE.FEE_BPS, tx.select(PLATFORM_REVENUE.FEE_BPS).from(PLATFORM_REVENUE)
                        .where(PLATFORM_REVENUE.TRANSACTION_ID.eq(transactionId), PLATFORM_REVENUE.KIND.eq("PAYMENT"))
                        .fetchSingle(PLATFORM_REVENUE.FEE_BPS))
                .set(PLATFORM_REVENUE.KIND, kind).set(PLATFORM_REVENUE.JOURNAL_ID, journalId)
                .execute();
    }

    public Optional<Refund> find(String refundId) {
        return ledger.once(tx -> tx.selectFrom(REFUND).where(REFUND.REFUND_ID.eq(refundId)).fetchOptional().map(r -> toRefund(tx, r)));
    }

    /**
     * Refunds still PENDING (no outcome) reserved before {@code before}, oldest first (reservation time, then refund id),
     * after the refund {@code afterRefundId}: any refund, waiting or not, since its reservation time never changes, the
     * cursor stays where it was shown. A refund id the books do not have is a LedgerException NOT_FOUND. (Until s18 the
     * list was ordered by refund id, a client's key: not oldest first, and a cursor skipped older refunds of lower ids.)
     */
    public List<Refund> pending(OffsetDateTime before, String afterRefundId, int limit) {
        if (limit < 1 || limit > MAX_PAGE) throw new IllegalArgumentException("limit must be 1.." + MAX_PAGE);
        return ledger.once(tx -> {
            org.jooq.Condition after = DSL.noCondition();
            if (afterRefundId != null) {
                OffsetDateTime at = tx.select(REFUND.CREATED_AT).from(REFUND).where(REFUND.REFUND_ID.eq(afterRefundId))
                        .fetchOptional(REFUND.CREATED_AT)
                        .orElseThrow(() -> new LedgerException(LedgerException.Code.NOT_FOUND, "no refund " + afterRefundId + " to continue after"));
                after = DSL.row(REFUND.CREATED_AT, REFUND.REFUND_ID).gt(DSL.row(DSL.val(at, REFUND.CREATED_AT), DSL.val(afterRefundId, REFUND.REFUND_ID)));
            }
            return tx.selectFrom(REFUND)
                    .where(REFUND.KIND.eq("REFUND"), REFUND.CREATED_AT.lt(before), after)
                    .andNotExists(tx.selectOne().from(REFUND_OUTCOME).where(REFUND_OUTCOME.REFUND_ID.eq(REFUND.REFUND_ID)))
                    .orderBy(REFUND.CREATED_AT, REFUND.REFUND_ID).limit(limit)
                    .fetch(r -> toRefund(tx, r));
        });
    }

    private static Refund toRefund(DSLContext tx, RefundRecord r) {
        RefundOutcomeRecord o = outcome(tx, r.getRefundId());
        return new Refund(r.getRefundId(), r.getTransactionId(), RefundPosting.Kind.valueOf(r.getKind()), r.getAmountPaise(), r.getReason(),
                r.getJournalId(), r.getFromPendingPaise(), r.getFromAvailablePaise(), r.getToReceivablePaise(),
                o == null ? Status.PENDING : Status.valueOf(o.getOutcome()), o == null ? null : o.getJournalId(),
                o == null ? null : o.getCashfreeRefundId(), o == null ? null : o.getDetail(), o == null ? null : o.getDecidedBy(),
                r.getCreatedAt());
    }

    private static RefundOutcomeRecord outcome(DSLContext tx, String refundId) {
        return tx.selectFrom(REFUND_OUTCOME).where(REFUND_OUTCOME.REFUND_ID.eq(refundId)).fetchOptional().orElse(null);
    }

    private static RefundRecord requireRefund(DSLContext tx, String refundId) {
        return tx.selectFrom(REFUND).where(REFUND.REFUND_ID.eq(refundId)).fetchOptional()
                .orElseThrow(() -> new LedgerException(LedgerException.Code.NOT_FOUND, "no refund " + refundId));
    }

    /** The payment's refunds that still stand: reserved or paid, not cancelled or failed. */
    private static List<RefundRecord> standing(DSLContext tx, UUID transactionId) {
        return tx.selectFrom(REFUND).where(REFUND.TRANSACTION_ID.eq(transactionId))
                .andNotExists(tx.selectOne().from(REFUND_OUTCOME).where(REFUND_OUTCOME.REFUND_ID.eq(REFUND.REFUND_ID),
                        REFUND_OUTCOME.OUTCOME.in("FAILED", "CANCELLED")))
                .orderBy(REFUND.REFUND_ID).fetch();
    }

    private static List<WalletHoldRecord> openHolds(DSLContext tx, UUID transactionId) {
        return tx.selectFrom(WALLET_HOLD)
                .where(WALLET_HOLD.TRANSACTION_ID.eq(transactionId), WALLET_HOLD.RELEASED_JOURNAL_ID.isNull(),
                        WALLET_HOLD.CANCELLED_JOURNAL_ID.isNull())
                .orderBy(WALLET_HOLD.HOLD_ID).forUpdate().fetch();
    }

    static boolean lockPayment(DSLContext tx, UUID transactionId) {
        return Boolean.TRUE.equals(tx.select(DSL.field("ledger_lock_payment(?)", Boolean.class, transactionId)).fetchOne(0, Boolean.class));
    }

    private static RefundPosting.Posted alreadyReserved(RefundRecord e, RefundPosting r) {
        if (!e.getTransactionId().equals(r.transactionId())) {
            throw new LedgerException(LedgerException.Code.IDEMPOTENCY_CONFLICT, "refund id " + r.refundId() + " belongs to another payment");
        }
        if (e.getAmountPaise() != r.amountPaise() || !e.getKind().equals(r.kind().name())
                || !e.getGatewayFeePolicy().equals(r.gatewayFee().name()) || !e.getPlatformFeePolicy().equals(r.platformFee().name())) {
            throw new LedgerException(LedgerException.Code.IDEMPOTENCY_CONFLICT, "refund id " + r.refundId() + " was used for another refund");
        }
        return new RefundPosting.Posted(e.getRefundId(), e.getJournalId(), e.getAmountPaise(), e.getFromPendingPaise(),
                e.getFromAvailablePaise(), e.getToReceivablePaise(), false);
    }

    private static long n(Long v) {
        return v == null ? 0 : v;
    }

    private static String cut(String s, int max) {
        return s == null ? null : s.length() > max ? s.substring(0, max) : s;
    }

    /** Signed sum of the postings on one account within the given journals. */
    private static long sumPostings(DSLContext tx, String accountCode, List<Long> journalIds) {
        if (journalIds.isEmpty()) return 0;
        var sum = DSL.coalesce(DSL.sum(POSTING.AMOUNT_PAISE), java.math.BigDecimal.ZERO);
        return tx.select(sum).from(POSTING).join(LEDGER_ACCOUNT).on(LEDGER_ACCOUNT.ACCOUNT_ID.eq(POSTING.ACCOUNT_ID))
                .where(LEDGER_ACCOUNT.CODE.eq(accountCode), POSTING.JOURNAL_ID.in(journalIds))
                .fetchSingle(sum).longValueExact();
    }

    /** What a member gave back (debits on their wallet accounts) within the given journals. */
    private static long sumMemberPostings(DSLContext tx, String communityId, String role, String userId, List<Long> journalIds) {
        if (journalIds.isEmpty()) return 0;
        var sum = DSL.coalesce(DSL.sum(POSTING.AMOUNT_PAISE), java.math.BigDecimal.ZERO);
        return tx.select(sum).from(POSTING).join(LEDGER_ACCOUNT).on(LEDGER_ACCOUNT.ACCOUNT_ID.eq(POSTING.ACCOUNT_ID))
                .where(LEDGER_ACCOUNT.COMMUNITY_ID.eq(communityId), LEDGER_ACCOUNT.ROLE.eq(role), LEDGER_ACCOUNT.USER_ID.eq(userId),
                        LEDGER_ACCOUNT.PURPOSE.like("MEMBER\\_%"), POSTING.JOURNAL_ID.in(journalIds))
                .fetchSingle(sum).longValueExact();
    }

    /** Each GST head's original amount less what earlier refunds already reversed on it (never below 0). */
    private static long[] remainingHeads(DSLContext tx, long[] originalHeads, Function<GstHead, String> code, List<Long> refundJournals) {
        long[] left = new long[3];
        GstHead[] heads = GstHead.values();
        // Refund journals debit these liabilities, so their sum is positive.
        for (int i = 0; i < 3; i++) left[i] = Math.max(0, originalHeads[i] - sumPostings(tx, code.apply(heads[i]), refundJournals));
        return left;
    }
}
