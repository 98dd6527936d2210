package com.commdesk.ledger;

import static com.commdesk.ledger.jooq.Tables.COMMUNITY;
import static com.commdesk.ledger.jooq.Tables.JOURNAL;
import static com.commdesk.ledger.jooq.Tables.LEDGER_ACCOUNT;
import static com.commdesk.ledger.jooq.Tables.PLATFORM_REVENUE;
import static com.commdesk.ledger.jooq.Tables.POSTING;
import static com.commdesk.ledger.jooq.Tables.REFUND;
import static com.commdesk.ledger.jooq.Tables.REFUND_OUTCOME;
import static com.commdesk.ledger.jooq.Tables.REVENUE_DISTRIBUTION;
import static com.commdesk.ledger.jooq.Tables.REVENUE_TRANSACTION;
import static com.commdesk.ledger.jooq.Tables.WALLET_HOLD;

import com.commdesk.fees.FeeBreakdown;
import com.commdesk.fees.MemberAllocation;
import com.commdesk.fees.RoleAllocation;
import com.commdesk.ledger.jooq.tables.records.RevenueTransactionRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.impl.DSL;

/**
 * Payments in the books: posting one (journal, revenue transaction, distributions, platform revenue;
 * the wallets follow from the postings in the database), many in one group commit, and reversing one.
 * Every method is atomic and idempotent; the journal is written by the {@link JournalWriter}.
 */
public final class PaymentLedger {
    /**
     * Payments per transaction in {@link #postPayments}. Rows go as arrays ({@link ColumnarInsert}), so
     * no bind-value limit applies; the bound keeps one transaction's wallet locks short and its memory small.
     */
    public static final int MAX_BATCH = 1_000;

    private final Ledger ledger;

    public PaymentLedger(Ledger ledger) {
        this.ledger = ledger;
    }

    private record Prepared(PaymentPosting posting, Journal journal) {
        static Prepared of(PaymentPosting p) {
            return new Prepared(p, PaymentJournal.of(p));
        }
    }

    /** The outcome of one payment of a batch: posted (maybe earlier, under the same key) or refused. */
    public record BatchItem(PaymentPosting posting, PostedPayment posted, LedgerException refused) {}

    /**
     * Posts one payment: journal + postings + revenue transaction + distributions + platform
     * revenue, atomically. The same key with the same content returns the first result and writes
     * nothing; with other content it is an IDEMPOTENCY_CONFLICT.
     */
    public PostedPayment postPayment(PaymentPosting p) {
        Prepared prepared;
        try {
            prepared = Prepared.of(p);
        } catch (RuntimeException e) {
            throw new LedgerException(LedgerException.Code.INVALID_POSTING, "payment " + p.idempotencyKey() + " refused: " + e.getMessage(), e);
        }
        try {
            return ledger.inTransaction(tx -> postBatchTx(tx, List.of(prepared))).get(0);
        } catch (LedgerException e) {
            if (e.code() != LedgerException.Code.ORDER_ALREADY_POSTED) throw e;
            // Posted before journal keys were namespaced (changelog 016): the same payment, recognised
            // by its own record (transaction id and content), not by a key.
            return postedUnderAnOlderKey(p).orElseThrow(() -> e);
        }
    }

    private Optional<PostedPayment> postedUnderAnOlderKey(PaymentPosting p) {
        return ledger.dsl().select(REVENUE_TRANSACTION.JOURNAL_ID, JOURNAL.CONTENT_SHA256).from(REVENUE_TRANSACTION)
                .join(JOURNAL).on(JOURNAL.JOURNAL_ID.eq(REVENUE_TRANSACTION.JOURNAL_ID))
                .where(REVENUE_TRANSACTION.TRANSACTION_ID.eq(p.transactionId()))
                .fetchOptional()
                .filter(r -> r.value2().equals(p.contentSha256()))
                .map(r -> new PostedPayment(p.transactionId(), r.value1(), false));
    }

    /**
     * Group commit: up to {@link #MAX_BATCH} payments in one transaction, each still all-or-nothing
     * and idempotent. If the batch is refused as a whole (one payment conflicts, say), every payment
     * is posted on its own instead, so one bad payment cannot hold the others back. If the database
     * is unavailable or too busy, every payment of the batch gets that retryable failure (posting
     * them one by one would not help, and none must be refused for good because of it).
     */
    public List<BatchItem> postPayments(List<PaymentPosting> batch) {
        if (batch.isEmpty()) return List.of();
        if (batch.size() > MAX_BATCH) throw new IllegalArgumentException("at most " + MAX_BATCH + " payments per batch");
        List<Prepared> prepared = new ArrayList<>(batch.size());
        for (PaymentPosting p : batch) {
            try {
                prepared.add(Prepared.of(p));
            } catch (RuntimeException e) {
                prepared = null; // the one-by-one pass below reports it for this payment only
                break;
            }
        }
        boolean distinctKeys = batch.stream().map(PaymentPosting::idempotencyKey).distinct().count() == batch.size();
        if (prepared != null && distinctKeys) {
            List<Prepared> all = prepared;
            try {
                List<PostedPayment> posted = ledger.inTransaction(tx -> postBatchTx(tx, all));
                List<BatchItem> items = new ArrayList<>(batch.size());
                for (int i = 0; i < batch.size(); i++) items.add(new BatchItem(batch.get(i), posted.get(i), null));
                return items;
            } catch (LedgerException e) {
                if (e.retryable()) {
                    List<BatchItem> items = new ArrayList<>(batch.size());
                    for (PaymentPosting p : batch) items.add(new BatchItem(p, null, e));
                    return items;
                }
                // fall through: post one by one, so each payment gets its own outcome
            }
        }
        List<BatchItem> items = new ArrayList<>(batch.size());
        for (PaymentPosting p : batch) {
            try {
                items.add(new BatchItem(p, postPayment(p), null));
            } catch (LedgerException e) {
                items.add(new BatchItem(p, null, e));
            }
        }
        return items;
    }

    /** An ADJUSTED MISSING_ON_OUR_SIDE exception: reconciliation booked that settlement as owed to us. */
    private record SettledByReconciliation(long exceptionId, String orderId, String cfPaymentId, Long amountPaise) {
        /**
         * The same payment as the exception's, as reconciliation decides it (ReconciliationRepository.samePayment): its
         * payment id, or its order and amount where either side has no payment id.
         */
        boolean sameSettlement(PaymentPosting p) {
            if (cfPaymentId != null && cfPaymentId.equals(p.cashfreePaymentId())) return true;
            return orderId != null && orderId.equals(p.cashfreeOrderId()) && (cfPaymentId == null || p.cashfreePaymentId() == null)
                    && (amountPaise == null || amountPaise == p.breakdown().amountPaise());
        }
    }

    /**
     * The adjusted MISSING_ON_OUR_SIDE exceptions of the batch's orders and Cashfree payments (review of 8ee02d7): their
     * settlement is booked as owed to us already, and a payment of them booked too would hold it twice in
     * cashfree_clearing. Every such exception of the batch, open or not, is locked FOR KEY SHARE first thing, before any
     * ledger row: an adjustment in flight (it holds its exception FOR UPDATE) is waited for and seen, and one that comes
     * after waits for this posting and finds it booked (ReconciliationRepository.adjust). Exceptions are few.
     */
    private static List<SettledByReconciliation> settledByReconciliation(DSLContext tx, List<Prepared> batch) {
        String[] orders = batch.stream().map(x -> x.posting().cashfreeOrderId()).filter(Objects::nonNull).distinct().toArray(String[]::new);
        String[] cfPayments = batch.stream().map(x -> x.posting().cashfreePaymentId()).filter(Objects::nonNull).distinct()
                .toArray(String[]::new);
        List<SettledByReconciliation> settled = new ArrayList<>();
        // FOR KEY SHARE: it conflicts with the adjustment's FOR UPDATE, not with ingest filling in an exception's ids (a plain
        // UPDATE of other columns), so a recon run never holds postings up nor deadlocks with them (review of f5150e9).
        for (var r : tx.fetch("select exception_id, status, order_id, cf_payment_id, their_amount_paise from recon_exception"
                + " where kind = 'MISSING_ON_OUR_SIDE' and (order_id = any (?::text[]) or cf_payment_id = any (?::text[]))"
                + " order by exception_id for key share", orders, cfPayments)) {
            if ("ADJUSTED".equals(r.get("status", String.class))) {
                settled.add(new SettledByReconciliation(r.get("exception_id", Long.class), r.get("order_id", String.class),
                        r.get("cf_payment_id", String.class), r.get("their_amount_paise", Long.class)));
            }
        }
        return settled;
    }

    private List<PostedPayment> postBatchTx(DSLContext tx, List<Prepared> batch) {
        Set<String> communityIds = batch.stream().map(x -> x.posting().communityId()).collect(Collectors.toSet());
        Set<String> known = new HashSet<>(tx.select(COMMUNITY.COMMUNITY_ID).from(COMMUNITY)
                .where(COMMUNITY.COMMUNITY_ID.in(communityIds)).fetch(COMMUNITY.COMMUNITY_ID));
        for (Prepared x : batch) {
            if (!known.contains(x.posting().communityId())) {
                throw new LedgerException(LedgerException.Code.UNKNOWN_COMMUNITY, "unknown community " + x.posting().communityId());
            }
        }
        List<SettledByReconciliation> settled = settledByReconciliation(tx, batch);
        JournalWriter writer = ledger.writer();
        List<JournalWriter.Written> written = writer.claim(tx, batch.stream().map(Prepared::journal).toList());
        List<PostedPayment> results = new ArrayList<>(batch.size());
        List<Prepared> fresh = new ArrayList<>();
        Map<Long, List<JournalLine>> postings = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            Prepared x = batch.get(i);
            JournalWriter.Written w = written.get(i);
            results.add(new PostedPayment(x.posting().transactionId(), w.journalId(), w.fresh()));
            if (w.fresh()) {
                fresh.add(x);
                postings.put(w.journalId(), x.journal().lines());
            }
        }
        if (fresh.isEmpty()) return results;

        for (Prepared x : fresh) {
            for (SettledByReconciliation r : settled) {
                if (r.sameSettlement(x.posting())) {
                    throw new LedgerException(LedgerException.Code.SETTLED_BY_RECONCILIATION, "Cashfree order "
                            + x.posting().cashfreeOrderId() + " (payment " + x.posting().cashfreePaymentId() + ") was booked by"
                            + " reconciliation as owed to us (exception " + r.exceptionId() + ", adjusted): not booked again. Its"
                            + " money is in unidentified_receipts; finance identifies it with a journal, and this payment is"
                            + " compensated (nothing of it is posted)");
                }
            }
        }
        Set<String> orders = fresh.stream().map(x -> x.posting().cashfreeOrderId()).collect(Collectors.toSet());
        List<String> alreadyPosted = tx.select(REVENUE_TRANSACTION.CASHFREE_ORDER_ID).from(REVENUE_TRANSACTION)
                .where(REVENUE_TRANSACTION.CASHFREE_ORDER_ID.in(orders)).fetch(REVENUE_TRANSACTION.CASHFREE_ORDER_ID);
        Set<String> cfPayments = fresh.stream().map(x -> x.posting().cashfreePaymentId()).filter(Objects::nonNull)
                .collect(Collectors.toSet());
        if (!cfPayments.isEmpty() && tx.fetchExists(REVENUE_TRANSACTION, REVENUE_TRANSACTION.CASHFREE_PAYMENT_ID.in(cfPayments))) {
            throw new LedgerException(LedgerException.Code.ORDER_ALREADY_POSTED, "a Cashfree payment of this batch is already booked");
        }
        if (!alreadyPosted.isEmpty() || orders.size() != fresh.size()) {
            throw new LedgerException(LedgerException.Code.ORDER_ALREADY_POSTED,
                    "Cashfree order " + (alreadyPosted.isEmpty() ? "repeated in the batch" : alreadyPosted.get(0))
                            + " is already posted under another key");
        }

        var transactions = revenueTransactions();
        var distributions = new ColumnarInsert<>(REVENUE_DISTRIBUTION, REVENUE_DISTRIBUTION.DISTRIBUTION_ID,
                REVENUE_DISTRIBUTION.TRANSACTION_ID, REVENUE_DISTRIBUTION.COMMUNITY_ID, REVENUE_DISTRIBUTION.USER_ID,
                REVENUE_DISTRIBUTION.ROLE_ID, REVENUE_DISTRIBUTION.ROLE_NAME, REVENUE_DISTRIBUTION.SHARE_BPS,
                REVENUE_DISTRIBUTION.AMOUNT_PAISE);
        var platform = new ColumnarInsert<>(PLATFORM_REVENUE, PLATFORM_REVENUE.PLATFORM_REVENUE_ID, PLATFORM_REVENUE.TRANSACTION_ID,
                PLATFORM_REVENUE.AMOUNT_PAISE, PLATFORM_REVENUE.GST_AMOUNT_PAISE, PLATFORM_REVENUE.FEE_BPS, PLATFORM_REVENUE.JOURNAL_ID);
        for (int i = 0; i < batch.size(); i++) {
            if (!written.get(i).fresh()) continue;
            PaymentPosting p = batch.get(i).posting();
            long journalId = written.get(i).journalId();
            addRevenueTransaction(transactions, p, journalId);
            for (RoleAllocation role : p.shares()) {
                for (MemberAllocation m : role.members()) {
                    distributions.row(UUID.nameUUIDFromBytes((p.transactionId() + ":" + role.role() + ":" + m.userId())
                                    .getBytes(StandardCharsets.UTF_8)),
                            p.transactionId(), p.communityId(), m.userId(), p.communityId() + ":" + role.role(), role.role(),
                            role.shareBps(), m.amountPaise());
                }
            }
            FeeBreakdown b = p.breakdown();
            platform.row(UUID.nameUUIDFromBytes(("platform:" + p.transactionId()).getBytes(StandardCharsets.UTF_8)),
                    p.transactionId(), b.platformFeePaise(), b.platformFeeGstPaise(), b.platformFeeRateBps(), journalId);
        }
        // Revenue rows first, postings last: the posting statement's trigger projects the wallets and the
        // community totals (from these revenue rows), and its row locks are then held only until commit.
        transactions.insert(tx).execute();
        if (distributions.size() > 0) distributions.insert(tx).execute();
        platform.insert(tx).execute();
        writer.post(tx, postings);
        return results;
    }

    private static ColumnarInsert<RevenueTransactionRecord> revenueTransactions() {
        var rt = REVENUE_TRANSACTION;
        return new ColumnarInsert<>(rt, rt.TRANSACTION_ID, rt.COMMUNITY_ID, rt.SOURCE_TYPE, rt.SOURCE_ID, rt.CASHFREE_ORDER_ID,
                rt.CASHFREE_PAYMENT_ID, rt.PAYMENT_METHOD, rt.GROSS_AMOUNT_PAISE, rt.GST_AMOUNT_PAISE, rt.GST_CGST_PAISE,
                rt.GST_SGST_PAISE, rt.GST_IGST_PAISE, rt.PAYMENT_GATEWAY_FEE_PAISE, rt.PAYMENT_GATEWAY_GST_PAISE,
                rt.PLATFORM_FEE_PAISE, rt.PLATFORM_FEE_GST_PAISE, rt.PLATFORM_FEE_GST_MODE, rt.TCS_PAISE, rt.TDS_PAISE,
                rt.NET_REVENUE_PAISE, rt.SCHEDULE_NAME, rt.RULE_ID, rt.RULE_VERSION, rt.METADATA, rt.IDEMPOTENCY_KEY, rt.JOURNAL_ID,
                rt.GATEWAY_FEE_BEARER, rt.PLATFORM_FEE_BEARER, rt.CONVENIENCE_FEE_PAISE, rt.PLATFORM_FEE_WAIVED_PAISE);
    }

    private static void addRevenueTransaction(ColumnarInsert<RevenueTransactionRecord> rows, PaymentPosting p, long journalId) {
        FeeBreakdown b = p.breakdown();
        rows.row(p.transactionId(), p.communityId(), p.sourceType(), p.sourceId(), p.cashfreeOrderId(), p.cashfreePaymentId(),
                p.paymentMethod(), b.amountPaise(), b.gstPaise(), b.gstHeads().cgstPaise(), b.gstHeads().sgstPaise(),
                b.gstHeads().igstPaise(), b.gatewayFeePaise(), b.gatewayFeeGstPaise(), b.platformFeePaise(),
                b.platformFeeGstPaise(), b.platformFeeGst().name(), b.tcsPaise(), b.tdsPaise(), b.netPaise(), b.scheduleName(),
                p.ruleId(), p.ruleVersion(), JSONB.valueOf(metadataJson(p.metadata())), p.idempotencyKey(), journalId,
                b.gatewayFeeBearer().name(), b.platformFeeBearer().name(), b.convenienceFeePaise(), b.platformFeeWaivedPaise());
    }

    /**
     * Compensation of a payment: the exact negation of its journal (key {@code reversal:journal:<id>},
     * linked by reverses_journal_id), its holds cancelled, its platform revenue and community totals
     * taken back. Nothing is deleted. Finds the payment by its own record (the revenue transaction of
     * this payment id); empty when nothing was posted. Idempotent: a reversed payment returns its
     * reversal. Refused (nothing written) when the payment has refunds still standing
     * (PAYMENT_REFUNDED) or when its members' credits have already moved on (INSUFFICIENT_FUNDS):
     * pending money is pooled across payments, so only untouched holds may be taken back.
     */
    public Optional<Long> reversePayment(String paymentId, String reason) {
        return ledger.inTransaction(tx -> {
            RevenueTransactionRecord rt = tx.selectFrom(REVENUE_TRANSACTION).where(REVENUE_TRANSACTION.IDEMPOTENCY_KEY.eq(paymentId))
                    .fetchOptional().orElse(null);
            return rt == null ? Optional.<Long>empty() : Optional.of(reverseTx(tx, rt, reason));
        });
    }

    private long reverseTx(DSLContext tx, RevenueTransactionRecord rt, String reason) {
        long originalId = rt.getJournalId();
        // Same lock order as refunds: the payment, then its holds, then (in the posting statement) wallets.
        tx.select(DSL.field("ledger_lock_payment(?)", Boolean.class, rt.getTransactionId())).execute();
        Long reversed = tx.select(JOURNAL.JOURNAL_ID).from(JOURNAL).where(JOURNAL.REVERSES_JOURNAL_ID.eq(originalId))
                .fetchOptional(JOURNAL.JOURNAL_ID).orElse(null);
        if (reversed != null) return reversed;
        boolean refunded = tx.fetchExists(tx.selectOne().from(REFUND)
                .where(REFUND.TRANSACTION_ID.eq(rt.getTransactionId()))
                .andNotExists(tx.selectOne().from(REFUND_OUTCOME).where(REFUND_OUTCOME.REFUND_ID.eq(REFUND.REFUND_ID),
                        REFUND_OUTCOME.OUTCOME.in("FAILED", "CANCELLED"))));
        if (refunded) {
            throw new LedgerException(LedgerException.Code.PAYMENT_REFUNDED, "payment journal " + originalId
                    + " has refunds; refund the rest instead of reversing it");
        }
        // A reversal takes back exactly what the payment credited, from pending: only sound while every
        // credit of this payment is still in its own untouched hold (pending is pooled across payments).
        var holds = tx.selectFrom(WALLET_HOLD).where(WALLET_HOLD.TRANSACTION_ID.eq(rt.getTransactionId()))
                .orderBy(WALLET_HOLD.HOLD_ID).forUpdate().fetch();
        var distributed = tx.select(REVENUE_DISTRIBUTION.ROLE_NAME, REVENUE_DISTRIBUTION.USER_ID, REVENUE_DISTRIBUTION.AMOUNT_PAISE)
                .from(REVENUE_DISTRIBUTION).where(REVENUE_DISTRIBUTION.TRANSACTION_ID.eq(rt.getTransactionId()),
                        REVENUE_DISTRIBUTION.AMOUNT_PAISE.gt(0L)).fetch();
        if (!holds.isEmpty()) {
            Map<String, Long> credited = new HashMap<>();
            for (var x : distributed) credited.put(x.value1() + "\u0000" + x.value2(), x.value3());
            boolean untouched = holds.size() == credited.size() && holds.stream().allMatch(h -> h.getReleasedJournalId() == null
                    && h.getCancelledJournalId() == null && h.getBlockedReason() == null
                    && credited.getOrDefault(h.getRole() + "\u0000" + h.getUserId(), -1L).longValue() == h.getAmountPaise().longValue());
            if (!untouched) {
                throw new LedgerException(LedgerException.Code.INSUFFICIENT_FUNDS, "payment journal " + originalId
                        + ": members' credits have already been released; refund it instead of reversing it");
            }
        }
        Journal reversal = Journal.of(JournalKey.reversal(originalId), rt.getCommunityId(),
                "reversal of journal " + originalId + ": " + reason, originalId, negatedLines(tx, originalId), "reversal|" + originalId);
        long reversalId = ledger.writer().write(tx, reversal).journalId();
        // The reversed credits must never be released or paid out.
        tx.update(WALLET_HOLD).set(WALLET_HOLD.CANCELLED_JOURNAL_ID, reversalId)
                .where(WALLET_HOLD.TRANSACTION_ID.eq(rt.getTransactionId()), WALLET_HOLD.RELEASED_JOURNAL_ID.isNull(),
                        WALLET_HOLD.CANCELLED_JOURNAL_ID.isNull())
                .execute();
        tx.insertInto(PLATFORM_REVENUE)
                .set(PLATFORM_REVENUE.PLATFORM_REVENUE_ID, UUID.nameUUIDFromBytes(("platform-reversal:" + reversalId).getBytes(StandardCharsets.UTF_8)))
                .set(PLATFORM_REVENUE.TRANSACTION_ID, rt.getTransactionId())
                .set(PLATFORM_REVENUE.AMOUNT_PAISE, -rt.getPlatformFeePaise())
                .set(PLATFORM_REVENUE.GST_AMOUNT_PAISE, -rt.getPlatformFeeGstPaise())
                .set(PLATFORM_REVENUE.FEE_BPS, tx.select(PLATFORM_REVENUE.FEE_BPS).from(PLATFORM_REVENUE)
                        .where(PLATFORM_REVENUE.TRANSACTION_ID.eq(rt.getTransactionId()), PLATFORM_REVENUE.KIND.eq("PAYMENT"))
                        .fetchSingle(PLATFORM_REVENUE.FEE_BPS))
                .set(PLATFORM_REVENUE.KIND, "REVERSAL")
                .set(PLATFORM_REVENUE.JOURNAL_ID, reversalId)
                .execute();
        return reversalId;
    }

    /** The postings of a journal, negated, with their accounts' identities (to re-create any missing account). */
    static List<JournalLine> negatedLines(DSLContext tx, long journalId) {
        var l = LEDGER_ACCOUNT;
        return tx.select(l.CODE, l.KIND, l.PURPOSE, l.COMMUNITY_ID, l.ROLE, l.USER_ID, POSTING.AMOUNT_PAISE)
                .from(POSTING).join(l).on(l.ACCOUNT_ID.eq(POSTING.ACCOUNT_ID))
                .where(POSTING.JOURNAL_ID.eq(journalId))
                .orderBy(POSTING.POSTING_ID)
                .fetch(r -> new JournalLine(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), r.value6(),
                        AccountCodes.bucketOf(r.value3()), -r.value7()));
    }

    /** Minimal, ordered JSON for string metadata (keys and values escaped). */
    static String metadataJson(Map<String, String> metadata) {
        return new TreeMap<>(metadata).entrySet().stream()
                .map(e -> quote(e.getKey()) + ":" + quote(e.getValue()))
                .collect(Collectors.joining(",", "{", "}"));
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }
}
