package com.commdesk.ledger;

import static com.commdesk.ledger.jooq.Tables.COMMUNITY;
import static com.commdesk.ledger.jooq.Tables.JOURNAL;
import static com.commdesk.ledger.jooq.Tables.LEDGER_ACCOUNT;
import static com.commdesk.ledger.jooq.Tables.PAYOUT_INSTRUCTION;
import static com.commdesk.ledger.jooq.Tables.PLATFORM_REVENUE;
import static com.commdesk.ledger.jooq.Tables.POSTING;
import static com.commdesk.ledger.jooq.Tables.REFUND;
import static com.commdesk.ledger.jooq.Tables.REVENUE_DISTRIBUTION;
import static com.commdesk.ledger.jooq.Tables.REVENUE_TRANSACTION;
import static com.commdesk.ledger.jooq.Tables.WALLET_HOLD;

import com.commdesk.fees.FeeBreakdown;
import com.commdesk.fees.MemberAllocation;
import com.commdesk.fees.RoleAllocation;
import com.commdesk.ledger.AccountCodes.WalletBucket;
import com.commdesk.ledger.jooq.tables.records.JournalRecord;
import com.commdesk.ledger.jooq.tables.records.RevenueTransactionRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.exception.DataAccessException;

/**
 * Writes the books. Every public method is atomic, idempotent by key, and retried on
 * serialization failures and deadlocks. Wallet rows are always locked in one order (see
 * {@link WalletDeltas}), so concurrent writers never deadlock each other.
 */
public final class LedgerRepository {
    /**
     * Payments per transaction in {@link #postPayments}. Rows go as arrays ({@link ColumnarInsert}), so
     * no bind-value limit applies; the bound keeps one transaction's wallet locks short and its memory small.
     */
    public static final int MAX_BATCH = 1_000;

    private final DSLContext dsl;
    /** Account ids never change once committed, so they are cached after commit only. */
    private final Map<String, Long> accountIds = new ConcurrentHashMap<>();

    public LedgerRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    private record Prepared(PaymentPosting posting, List<JournalLine> lines, String digest) {
        static Prepared of(PaymentPosting p) {
            return new Prepared(p, PaymentJournal.lines(p.communityId(), p.breakdown(), p.shares()), p.contentSha256());
        }
    }

    /** The outcome of one payment of a batch: posted (maybe earlier, under the same key) or refused. */
    public record BatchItem(PaymentPosting posting, PostedPayment posted, LedgerException refused) {}

    /**
     * Posts one payment: journal + postings + revenue transaction + distributions + platform
     * revenue + wallet projections, atomically. The same key with the same content returns the
     * first result and writes nothing; with other content it is an IDEMPOTENCY_CONFLICT.
     */
    public PostedPayment postPayment(PaymentPosting p) {
        return inTransaction((tx, created) -> postBatchTx(tx, List.of(Prepared.of(p)))).get(0);
    }

    /**
     * Group commit: up to {@link #MAX_BATCH} payments in one transaction, each still all-or-nothing
     * and idempotent. If the batch is refused as a whole (one payment conflicts, say), every payment
     * is posted on its own instead, so one bad payment cannot hold the others back.
     */
    public List<BatchItem> postPayments(List<PaymentPosting> batch) {
        if (batch.isEmpty()) return List.of();
        if (batch.size() > MAX_BATCH) throw new IllegalArgumentException("at most " + MAX_BATCH + " payments per batch");
        List<Prepared> prepared = new ArrayList<>(batch.size());
        boolean allPrepared = true;
        for (PaymentPosting p : batch) {
            try {
                prepared.add(Prepared.of(p));
            } catch (RuntimeException e) {
                allPrepared = false; // the one-by-one pass below reports it for this payment only
                break;
            }
        }
        boolean distinctKeys = batch.stream().map(PaymentPosting::idempotencyKey).distinct().count() == batch.size();
        if (allPrepared && distinctKeys) {
            try {
                List<PostedPayment> posted = inTransaction((tx, created) -> postBatchTx(tx, prepared));
                List<BatchItem> items = new ArrayList<>(batch.size());
                for (int i = 0; i < batch.size(); i++) items.add(new BatchItem(batch.get(i), posted.get(i), null));
                return items;
            } catch (RuntimeException e) {
                // fall through: post one by one, so each payment gets its own outcome
            }
        }
        List<BatchItem> items = new ArrayList<>(batch.size());
        for (PaymentPosting p : batch) {
            try {
                items.add(new BatchItem(p, postPayment(p), null));
            } catch (LedgerException e) {
                items.add(new BatchItem(p, null, e));
            } catch (RuntimeException e) {
                // A lost connection is no verdict on this payment: the whole batch fails and its callers retry.
                if (Retry.isConnectionLoss(e)) throw e;
                items.add(new BatchItem(p, null, new LedgerException(codeOf(e), "payment " + p.idempotencyKey() + " refused: " + e.getMessage())));
            }
        }
        return items;
    }

    /** A unique violation (order or Cashfree payment id) means already booked; anything else is an invalid posting. */
    private static LedgerException.Code codeOf(RuntimeException e) {
        return "23505".equals(Retry.sqlState(e)) ? LedgerException.Code.ORDER_ALREADY_POSTED : LedgerException.Code.INVALID_POSTING;
    }

    @FunctionalInterface
    private interface TxWork<T> {
        T run(DSLContext tx, Map<String, Long> created);
    }

    private <T> T inTransaction(TxWork<T> work) {
        Map<String, Long> created = new HashMap<>();
        T result = Retry.transient_(() -> {
            created.clear();
            return dsl.transactionResult(cfg -> {
                currentCreated.set(created);
                try {
                    return work.run(cfg.dsl(), created);
                } finally {
                    currentCreated.remove();
                }
            });
        });
        accountIds.putAll(created);
        return result;
    }

    /** Accounts created by the transaction running on this thread (cached only after it commits). */
    private final ThreadLocal<Map<String, Long>> currentCreated = new ThreadLocal<>();

    private List<PostedPayment> postBatchTx(DSLContext tx, List<Prepared> batch) {
        Set<String> communityIds = batch.stream().map(x -> x.posting().communityId()).collect(Collectors.toSet());
        Set<String> known = new HashSet<>(tx.select(COMMUNITY.COMMUNITY_ID).from(COMMUNITY)
                .where(COMMUNITY.COMMUNITY_ID.in(communityIds)).fetch(COMMUNITY.COMMUNITY_ID));
        for (Prepared x : batch) {
            if (!known.contains(x.posting().communityId())) {
                throw new LedgerException(LedgerException.Code.UNKNOWN_COMMUNITY, "unknown community " + x.posting().communityId());
            }
        }

        var journals = new ColumnarInsert<>(JOURNAL, JOURNAL.IDEMPOTENCY_KEY, JOURNAL.KIND, JOURNAL.COMMUNITY_ID,
                JOURNAL.DESCRIPTION, JOURNAL.CONTENT_SHA256);
        // Inserted in key order, so two batches sharing keys take the unique-index locks in one order.
        List<Prepared> byKey = new ArrayList<>(batch);
        byKey.sort(java.util.Comparator.comparing(x -> x.posting().idempotencyKey()));
        for (Prepared x : byKey) {
            PaymentPosting p = x.posting();
            journals.row(p.idempotencyKey(), "PAYMENT", p.communityId(),
                    "payment " + p.sourceType() + " " + p.sourceId() + " order " + p.cashfreeOrderId(), x.digest());
        }
        Map<String, Long> newIds = new HashMap<>();
        journals.insert(tx).onConflict(JOURNAL.IDEMPOTENCY_KEY).doNothing()
                .returningResult(JOURNAL.IDEMPOTENCY_KEY, JOURNAL.JOURNAL_ID)
                .fetch().forEach(r -> newIds.put(r.value1(), r.value2()));

        List<String> repeatedKeys = batch.stream().map(x -> x.posting().idempotencyKey()).filter(k -> !newIds.containsKey(k)).toList();
        Map<String, JournalRecord> repeated = repeatedKeys.isEmpty() ? Map.of()
                : tx.selectFrom(JOURNAL).where(JOURNAL.IDEMPOTENCY_KEY.in(repeatedKeys)).fetchMap(JOURNAL.IDEMPOTENCY_KEY);
        List<PostedPayment> results = new ArrayList<>(batch.size());
        List<Prepared> fresh = new ArrayList<>();
        for (Prepared x : batch) {
            String key = x.posting().idempotencyKey();
            Long id = newIds.get(key);
            if (id != null) {
                fresh.add(x);
                results.add(new PostedPayment(x.posting().transactionId(), id, true));
                continue;
            }
            JournalRecord existing = repeated.get(key);
            if (existing == null || !existing.getContentSha256().equals(x.digest()) || !"PAYMENT".equals(existing.getKind())) {
                throw new LedgerException(LedgerException.Code.IDEMPOTENCY_CONFLICT,
                        "idempotency key " + key + " was already posted with different content");
            }
            results.add(new PostedPayment(x.posting().transactionId(), existing.getJournalId(), false));
        }
        if (fresh.isEmpty()) return results;

        Set<String> orders = fresh.stream().map(x -> x.posting().cashfreeOrderId()).collect(Collectors.toSet());
        List<String> alreadyPosted = tx.select(REVENUE_TRANSACTION.CASHFREE_ORDER_ID).from(REVENUE_TRANSACTION)
                .where(REVENUE_TRANSACTION.CASHFREE_ORDER_ID.in(orders)).fetch(REVENUE_TRANSACTION.CASHFREE_ORDER_ID);
        Set<String> cfPayments = fresh.stream().map(x -> x.posting().cashfreePaymentId()).filter(java.util.Objects::nonNull)
                .collect(Collectors.toSet());
        if (!cfPayments.isEmpty() && tx.fetchExists(REVENUE_TRANSACTION, REVENUE_TRANSACTION.CASHFREE_PAYMENT_ID.in(cfPayments))) {
            throw new LedgerException(LedgerException.Code.ORDER_ALREADY_POSTED, "a Cashfree payment of this batch is already booked");
        }
        if (!alreadyPosted.isEmpty() || orders.size() != fresh.size()) {
            throw new LedgerException(LedgerException.Code.ORDER_ALREADY_POSTED,
                    "Cashfree order " + (alreadyPosted.isEmpty() ? "repeated in the batch" : alreadyPosted.get(0))
                            + " is already posted under another key");
        }

        Map<Long, List<JournalLine>> postings = new LinkedHashMap<>();
        var transactions = revenueTransactions();
        var distributions = new ColumnarInsert<>(REVENUE_DISTRIBUTION, REVENUE_DISTRIBUTION.DISTRIBUTION_ID,
                REVENUE_DISTRIBUTION.TRANSACTION_ID, REVENUE_DISTRIBUTION.COMMUNITY_ID, REVENUE_DISTRIBUTION.USER_ID,
                REVENUE_DISTRIBUTION.ROLE_ID, REVENUE_DISTRIBUTION.ROLE_NAME, REVENUE_DISTRIBUTION.SHARE_BPS,
                REVENUE_DISTRIBUTION.AMOUNT_PAISE);
        var platform = new ColumnarInsert<>(PLATFORM_REVENUE, PLATFORM_REVENUE.PLATFORM_REVENUE_ID, PLATFORM_REVENUE.TRANSACTION_ID,
                PLATFORM_REVENUE.AMOUNT_PAISE, PLATFORM_REVENUE.GST_AMOUNT_PAISE, PLATFORM_REVENUE.FEE_BPS);
        WalletDeltas deltas = new WalletDeltas();
        for (Prepared x : fresh) {
            PaymentPosting p = x.posting();
            long journalId = newIds.get(p.idempotencyKey());
            postings.put(journalId, x.lines());
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
                    p.transactionId(), b.platformFeePaise(), b.platformFeeGstPaise(), b.platformFeeRateBps());
            deltas.addTotals(p.communityId(), +1, b);
            deltas.addLines(x.lines());
        }
        insertPostings(tx, postings);
        transactions.insert(tx).execute();
        if (distributions.size() > 0) distributions.insert(tx).execute();
        platform.insert(tx).execute();
        deltas.apply(tx);
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
     * Posts the exact negation of a payment journal, linked to it, and takes the payment back out
     * of the wallets and community totals. Nothing is deleted. Idempotent by {@code reversalKey};
     * a journal can be reversed once. Fails with INSUFFICIENT_FUNDS if members' pending credit has
     * already moved on (released or paid out) — recovering that is the refund workflow's job.
     */
    public long reversePayment(long paymentJournalId, String reversalKey, String reason) {
        return inTransaction((tx, created) -> reverseTx(tx, paymentJournalId, reversalKey, reason));
    }

    private long reverseTx(DSLContext tx, long originalId, String key, String reason) {
        JournalRecord original = tx.selectFrom(JOURNAL).where(JOURNAL.JOURNAL_ID.eq(originalId)).fetchOptional()
                .orElseThrow(() -> new LedgerException(LedgerException.Code.NOT_FOUND, "journal " + originalId + " not found"));
        if (!"PAYMENT".equals(original.getKind())) {
            throw new LedgerException(LedgerException.Code.NOT_FOUND, "journal " + originalId + " is not a payment");
        }
        String digest = sha256("reversal|" + originalId + "|" + reason);
        JournalRecord byKey0 = tx.selectFrom(JOURNAL).where(JOURNAL.IDEMPOTENCY_KEY.eq(key)).fetchOptional().orElse(null);
        if (byKey0 != null && byKey0.getContentSha256().equals(digest)) return byKey0.getJournalId();
        // Same lock order as refunds: the payment's revenue_transaction row, then its holds, then wallets.
        RevenueTransactionRecord locked = tx.selectFrom(REVENUE_TRANSACTION).where(REVENUE_TRANSACTION.JOURNAL_ID.eq(originalId))
                .forUpdate().fetchSingle();
        if (tx.fetchExists(REFUND, REFUND.TRANSACTION_ID.eq(locked.getTransactionId()))) {
            throw new LedgerException(LedgerException.Code.PAYMENT_REFUNDED, "payment journal " + originalId
                    + " has refunds; refund the rest instead of reversing it");
        }
        // A reversal takes back exactly what the payment credited, from pending: only sound while every
        // credit of this payment is still in its own untouched hold (pending is pooled across payments).
        var holds = tx.selectFrom(WALLET_HOLD).where(WALLET_HOLD.TRANSACTION_ID.eq(locked.getTransactionId()))
                .orderBy(WALLET_HOLD.HOLD_ID).forUpdate().fetch();
        var distributed = tx.select(REVENUE_DISTRIBUTION.ROLE_NAME, REVENUE_DISTRIBUTION.USER_ID, REVENUE_DISTRIBUTION.AMOUNT_PAISE)
                .from(REVENUE_DISTRIBUTION).where(REVENUE_DISTRIBUTION.TRANSACTION_ID.eq(locked.getTransactionId()),
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
        Long reversalId = tx.insertInto(JOURNAL)
                .set(JOURNAL.IDEMPOTENCY_KEY, key)
                .set(JOURNAL.KIND, "REVERSAL")
                .set(JOURNAL.REVERSES_JOURNAL_ID, originalId)
                .set(JOURNAL.COMMUNITY_ID, original.getCommunityId())
                .set(JOURNAL.DESCRIPTION, "reversal of journal " + originalId + ": " + reason)
                .set(JOURNAL.CONTENT_SHA256, digest)
                .onConflictDoNothing()
                .returning(JOURNAL.JOURNAL_ID)
                .fetchOptional(JOURNAL.JOURNAL_ID).orElse(null);
        if (reversalId == null) {
            JournalRecord byKey = tx.selectFrom(JOURNAL).where(JOURNAL.IDEMPOTENCY_KEY.eq(key)).fetchOptional().orElse(null);
            if (byKey != null && byKey.getContentSha256().equals(digest)) return byKey.getJournalId();
            if (byKey != null) {
                throw new LedgerException(LedgerException.Code.IDEMPOTENCY_CONFLICT, "idempotency key " + key + " was used for other content");
            }
            throw new LedgerException(LedgerException.Code.ALREADY_REVERSED, "journal " + originalId + " is already reversed");
        }
        // Lines rebuilt from the original postings, with their accounts' identities, negated.
        var l = LEDGER_ACCOUNT;
        List<JournalLine> lines = tx.select(l.CODE, l.KIND, l.PURPOSE, l.COMMUNITY_ID, l.ROLE, l.USER_ID, POSTING.AMOUNT_PAISE)
                .from(POSTING).join(l).on(l.ACCOUNT_ID.eq(POSTING.ACCOUNT_ID))
                .where(POSTING.JOURNAL_ID.eq(originalId))
                .orderBy(POSTING.POSTING_ID)
                .fetch(r -> new JournalLine(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), r.value6(),
                        bucketOf(r.value3()), -r.value7()));
        insertPostings(tx, Map.of(reversalId, lines));
        RevenueTransactionRecord rt = tx.selectFrom(REVENUE_TRANSACTION).where(REVENUE_TRANSACTION.JOURNAL_ID.eq(originalId)).fetchSingle();
        // The reversed credits must never be released or paid out. Holds are touched before wallet
        // rows, the same order as releaseDueHolds, so a reversal and a release cannot deadlock.
        tx.update(WALLET_HOLD).set(WALLET_HOLD.CANCELLED_JOURNAL_ID, reversalId)
                .where(WALLET_HOLD.TRANSACTION_ID.eq(rt.getTransactionId()), WALLET_HOLD.RELEASED_JOURNAL_ID.isNull())
                .execute();
        tx.update(PAYOUT_INSTRUCTION).set(PAYOUT_INSTRUCTION.STATUS, "CANCELLED")
                .where(PAYOUT_INSTRUCTION.TRANSACTION_ID.eq(rt.getTransactionId()), PAYOUT_INSTRUCTION.STATUS.eq("SCHEDULED"))
                .execute();
        WalletDeltas deltas = new WalletDeltas();
        deltas.addTotals(original.getCommunityId(), -1, breakdownOf(rt));
        deltas.addLines(lines);
        applyOrInsufficient(tx, deltas, "cannot reverse journal " + originalId
                + ": members' pending credit has already been released or paid out");
        return reversalId;
    }

    /**
     * Refunds part or all of a posted payment as one balanced REFUND journal: the refund is split over
     * the original breakdown's parts by largest remainder (exact paise), GST, TCS and TDS are reversed,
     * the platform fee is refunded or kept and the gateway fee borne per the policy, and the
     * community's part is taken from its members in proportion to their shares: pending first, then
     * available, and what they no longer have (already paid out) becomes a receivable, recovered from
     * their next earnings. Cashfree is credited the refund. Idempotent by refund id; refunds of one
     * payment never exceed its amount (REFUND_EXCEEDS_PAYMENT, nothing written).
     */
    public RefundPosting.Posted postRefund(RefundPosting r) {
        return inTransaction((tx, created) -> refundTx(tx, r));
    }

    private RefundPosting.Posted refundTx(DSLContext tx, RefundPosting r) {
        var existing = tx.selectFrom(REFUND).where(REFUND.REFUND_ID.eq(r.refundId())).fetchOptional().orElse(null);
        if (existing != null) return alreadyRefunded(existing, r);
        // Lock order of every writer touching a payment after posting: the revenue_transaction row
        // (SELECT ... FOR UPDATE fires no UPDATE trigger), then its holds by hold id, then wallets.
        RevenueTransactionRecord rt = tx.selectFrom(REVENUE_TRANSACTION).where(REVENUE_TRANSACTION.TRANSACTION_ID.eq(r.transactionId()))
                .forUpdate().fetchOptional()
                .orElseThrow(() -> new LedgerException(LedgerException.Code.NOT_FOUND, "no posted payment " + r.transactionId()));
        existing = tx.selectFrom(REFUND).where(REFUND.REFUND_ID.eq(r.refundId())).fetchOptional().orElse(null);
        if (existing != null) return alreadyRefunded(existing, r);
        if (tx.fetchExists(JOURNAL, JOURNAL.REVERSES_JOURNAL_ID.eq(rt.getJournalId()))) {
            throw new LedgerException(LedgerException.Code.ALREADY_REVERSED, "payment " + r.transactionId() + " was reversed; nothing to refund");
        }
        var openHolds = tx.selectFrom(WALLET_HOLD)
                .where(WALLET_HOLD.TRANSACTION_ID.eq(r.transactionId()), WALLET_HOLD.RELEASED_JOURNAL_ID.isNull(),
                        WALLET_HOLD.CANCELLED_JOURNAL_ID.isNull())
                .orderBy(WALLET_HOLD.HOLD_ID).forUpdate().fetch();
        var previous = tx.selectFrom(REFUND).where(REFUND.TRANSACTION_ID.eq(r.transactionId())).fetch();
        long refunded = 0;
        long[] partsRefunded = new long[6];
        long communityCharged = 0;
        for (var x : previous) {
            refunded = Math.addExact(refunded, x.getAmountPaise());
            long[] parts = {n(x.getPartGstPaise()), n(x.getPartGatewayPaise()), n(x.getPartPlatformPaise()), n(x.getPartTcsPaise()),
                    n(x.getPartTdsPaise()), n(x.getPartNetPaise())};
            for (int i = 0; i < 6; i++) partsRefunded[i] = Math.addExact(partsRefunded[i], parts[i]);
            communityCharged = Math.addExact(communityCharged,
                    Math.addExact(Math.addExact(x.getFromPendingPaise(), x.getFromAvailablePaise()), x.getToReceivablePaise()));
        }
        if (Math.addExact(refunded, r.amountPaise()) > rt.getGrossAmountPaise()) {
            throw new LedgerException(LedgerException.Code.REFUND_EXCEEDS_PAYMENT, "refunding " + r.amountPaise() + " paise would make "
                    + (refunded + r.amountPaise()) + " of a " + rt.getGrossAmountPaise() + " paise payment");
        }
        boolean onTop = "ON_TOP".equals(rt.getPlatformFeeGstMode());
        long platformCharged = onTop ? rt.getPlatformFeePaise() + rt.getPlatformFeeGstPaise() : rt.getPlatformFeePaise();
        // A gateway fee the platform absorbed was never part of what the customer paid (041): the parts sum to gross.
        long gatewayTotal = "PLATFORM".equals(rt.getGatewayFeeBearer()) ? 0 : rt.getPaymentGatewayFeePaise() + rt.getPaymentGatewayGstPaise();
        long[] original = {rt.getGstAmountPaise(), gatewayTotal, platformCharged, rt.getTcsPaise(), rt.getTdsPaise(), rt.getNetRevenuePaise()};
        // Split over what is still unrefunded of each part: no part ever exceeds its original, and a
        // full refund (the last one) lands exactly on the originals, however the earlier ones rounded.
        long[] remaining = new long[6];
        for (int i = 0; i < 6; i++) remaining[i] = original[i] - partsRefunded[i];
        long[] part = Proportional.split(r.amountPaise(), remaining);
        long gst = part[0], gateway = part[1], platform = part[2], tcs = part[3], tds = part[4], net = part[5];
        boolean platformRefunded = r.platformFee() == RefundPosting.PlatformFee.REFUNDED;
        boolean platformBearsGateway = r.gatewayFee() == RefundPosting.GatewayFee.BORNE_BY_PLATFORM;
        long community = net + (platformRefunded ? 0 : platform) + (platformBearsGateway ? 0 : gateway);

        String c = rt.getCommunityId();
        List<Long> refundJournals = previous.stream().map(x -> x.getJournalId()).toList();
        List<JournalLine> lines = new ArrayList<>();
        lines.add(new JournalLine(AccountCodes.CASHFREE_CLEARING, "ASSET", "CASHFREE_CLEARING", null, null, null, null, -r.amountPaise()));
        AccountCodes.GstHead[] heads = AccountCodes.GstHead.values();
        if (gst != 0) {
            long[] saleHeads = {rt.getGstCgstPaise(), rt.getGstSgstPaise(), rt.getGstIgstPaise()};
            long[] headRemaining = remainingHeads(tx, saleHeads, AccountCodes::gstOutputPayable, refundJournals, -1);
            long[] split = Proportional.split(gst, headRemaining);
            for (int i = 0; i < 3; i++) {
                if (split[i] != 0) lines.add(new JournalLine(AccountCodes.gstOutputPayable(heads[i]), "LIABILITY", "GST_OUTPUT_PAYABLE",
                        null, null, null, null, split[i]));
            }
        }
        if (tcs != 0) lines.add(new JournalLine(AccountCodes.TCS_PAYABLE, "LIABILITY", "TCS_PAYABLE", null, null, null, null, tcs));
        if (tds != 0) lines.add(new JournalLine(AccountCodes.TDS_PAYABLE, "LIABILITY", "TDS_PAYABLE", null, null, null, null, tds));
        if (platformRefunded && platform != 0) {
            // The platform's GST heads as the payment journal booked them, less what earlier refunds reversed.
            long[] platformHeads = new long[3];
            for (int i = 0; i < 3; i++) platformHeads[i] = -sumPostings(tx, AccountCodes.platformGstPayable(heads[i]), List.of(rt.getJournalId()));
            long[] gstLeft = remainingHeads(tx, platformHeads, AccountCodes::platformGstPayable, refundJournals, -1);
            long incomeLeft = (onTop ? rt.getPlatformFeePaise() : rt.getPlatformFeePaise() - rt.getPlatformFeeGstPaise())
                    - sumPostings(tx, AccountCodes.PLATFORM_FEE_INCOME, refundJournals);
            long[] split = Proportional.split(platform, new long[] {incomeLeft, gstLeft[0], gstLeft[1], gstLeft[2]});
            if (split[0] != 0) lines.add(new JournalLine(AccountCodes.PLATFORM_FEE_INCOME, "INCOME", "PLATFORM_FEE_INCOME", null, null, null, null, split[0]));
            for (int i = 0; i < 3; i++) {
                if (split[i + 1] != 0) lines.add(new JournalLine(AccountCodes.platformGstPayable(heads[i]), "LIABILITY", "PLATFORM_GST_PAYABLE",
                        null, null, null, null, split[i + 1]));
            }
        }
        if (platformBearsGateway && gateway != 0) {
            lines.add(new JournalLine(AccountCodes.GATEWAY_FEE_RECOVERY, "INCOME", "GATEWAY_FEE_RECOVERY", null, null, null, null, gateway));
        }
        // The community's part, from its members: in proportion to what each has not yet given back
        // when that covers it (so a full refund restores every member exactly), else to their shares.
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
            long leftTotal = 0;
            for (int i = 0; i < weights.length; i++) {
                long given = -sumMemberPostings(tx, c, shares.get(i).value1(), shares.get(i).value2(), refundJournals);
                left[i] = Math.max(0, weights[i] - given);
                leftTotal += left[i];
            }
            owed = Proportional.split(community, community <= leftTotal ? left : weights);
        }
        Map<String, com.commdesk.ledger.jooq.tables.records.WalletHoldRecord> holdByMember = new HashMap<>();
        for (var h : openHolds) holdByMember.put(h.getRole() + "\u0000" + h.getUserId(), h);
        var balances = lockWallets(tx, c, shares.stream().map(x -> new String[] {x.value1(), x.value2()}).toList());
        long fromPending = 0, fromAvailable = 0, toReceivable = 0;
        Map<Long, Long> heldTaken = new TreeMap<>();
        for (int i = 0; i < owed.length; i++) {
            if (owed[i] == 0) continue;
            String role = shares.get(i).value1(), user = shares.get(i).value2();
            String key = role + "\u0000" + user;
            long[] bal = balances.get(key);
            // Pending money is pooled across payments: only this payment's own unreleased hold may be taken.
            var hold = holdByMember.get(key);
            long held = hold == null ? 0 : hold.getAmountPaise();
            long p = Math.min(Math.min(bal[0], held), owed[i]);
            long a = Math.min(bal[1], owed[i] - p);
            long rest = owed[i] - p - a;
            bal[0] -= p;
            bal[1] -= a;
            if (p != 0) {
                lines.add(PaymentJournal.memberLine(c, role, user, WalletBucket.PENDING, p));
                heldTaken.put(hold.getHoldId(), p);
            }
            if (a != 0) lines.add(PaymentJournal.memberLine(c, role, user, WalletBucket.AVAILABLE, a));
            if (rest != 0) lines.add(PaymentJournal.memberLine(c, role, user, WalletBucket.RECEIVABLE, rest));
            fromPending += p;
            fromAvailable += a;
            toReceivable += rest;
        }
        long journalId = tx.insertInto(JOURNAL)
                .set(JOURNAL.IDEMPOTENCY_KEY, "refund:" + r.refundId())
                .set(JOURNAL.KIND, "REFUND")
                .set(JOURNAL.COMMUNITY_ID, c)
                .set(JOURNAL.DESCRIPTION, r.kind() + " of " + r.amountPaise() + " paise of payment " + r.transactionId() + ": " + r.reason())
                .set(JOURNAL.CONTENT_SHA256, sha256(r.toString()))
                .returning(JOURNAL.JOURNAL_ID).fetchSingle(JOURNAL.JOURNAL_ID);
        insertPostings(tx, Map.of(journalId, lines));
        WalletDeltas deltas = new WalletDeltas();
        deltas.addLines(lines);
        deltas.apply(tx);
        tx.insertInto(REFUND)
                .set(REFUND.REFUND_ID, r.refundId()).set(REFUND.TRANSACTION_ID, r.transactionId()).set(REFUND.KIND, r.kind().name())
                .set(REFUND.AMOUNT_PAISE, r.amountPaise()).set(REFUND.REASON, r.reason())
                .set(REFUND.GATEWAY_FEE_POLICY, r.gatewayFee().name()).set(REFUND.PLATFORM_FEE_POLICY, r.platformFee().name())
                .set(REFUND.JOURNAL_ID, journalId).set(REFUND.FROM_PENDING_PAISE, fromPending)
                .set(REFUND.FROM_AVAILABLE_PAISE, fromAvailable).set(REFUND.TO_RECEIVABLE_PAISE, toReceivable)
                .set(REFUND.PART_GST_PAISE, gst).set(REFUND.PART_GATEWAY_PAISE, gateway).set(REFUND.PART_PLATFORM_PAISE, platform)
                .set(REFUND.PART_TCS_PAISE, tcs).set(REFUND.PART_TDS_PAISE, tds).set(REFUND.PART_NET_PAISE, net)
                .execute();
        // What was taken from pending no longer waits to be released: shrink (or close) those holds.
        for (var e : heldTaken.entrySet()) {
            tx.update(WALLET_HOLD)
                    .set(WALLET_HOLD.CANCELLED_JOURNAL_ID, org.jooq.impl.DSL.when(WALLET_HOLD.AMOUNT_PAISE.eq(e.getValue()), journalId)
                            .otherwise(WALLET_HOLD.CANCELLED_JOURNAL_ID))
                    .set(WALLET_HOLD.AMOUNT_PAISE, org.jooq.impl.DSL.when(WALLET_HOLD.AMOUNT_PAISE.eq(e.getValue()), WALLET_HOLD.AMOUNT_PAISE)
                            .otherwise(WALLET_HOLD.AMOUNT_PAISE.minus(e.getValue())))
                    .where(WALLET_HOLD.HOLD_ID.eq(e.getKey()))
                    .execute();
        }
        return new RefundPosting.Posted(r.refundId(), journalId, r.amountPaise(), fromPending, fromAvailable, toReceivable, true);
    }

    private static long n(Long v) {
        return v == null ? 0 : v;
    }

    /** Signed sum of the postings on one account within the given journals. */
    private static long sumPostings(DSLContext tx, String accountCode, List<Long> journalIds) {
        if (journalIds.isEmpty()) return 0;
        Object v = tx.fetchValue("select coalesce(sum(p.amount_paise), 0) from posting p join ledger_account a using (account_id) "
                + "where a.code = ? and p.journal_id = any(?)", accountCode, journalIds.toArray(Long[]::new));
        return ((Number) v).longValue();
    }

    /** Signed sum of a member's wallet postings (pending, available, receivable) within the given journals. */
    private static long sumMemberPostings(DSLContext tx, String communityId, String role, String userId, List<Long> journalIds) {
        if (journalIds.isEmpty()) return 0;
        Object v = tx.fetchValue("select coalesce(sum(-p.amount_paise), 0) from posting p join ledger_account a using (account_id) "
                + "where a.community_id = ? and a.role = ? and a.user_id = ? and a.purpose like 'MEMBER_%' and p.journal_id = any(?)",
                communityId, role, userId, journalIds.toArray(Long[]::new));
        return ((Number) v).longValue();
    }

    /** Each GST head's original amount less what earlier refunds already reversed on it (never below 0). */
    private static long[] remainingHeads(DSLContext tx, long[] originalHeads, java.util.function.Function<AccountCodes.GstHead, String> code,
                                         List<Long> refundJournals, int creditSign) {
        long[] left = new long[3];
        AccountCodes.GstHead[] heads = AccountCodes.GstHead.values();
        for (int i = 0; i < 3; i++) {
            // Refund journals debit these liabilities, so their sum is positive.
            left[i] = Math.max(0, originalHeads[i] - sumPostings(tx, code.apply(heads[i]), refundJournals));
        }
        return left;
    }

    private static RefundPosting.Posted alreadyRefunded(com.commdesk.ledger.jooq.tables.records.RefundRecord e, RefundPosting r) {
        if (!e.getTransactionId().equals(r.transactionId()) || e.getAmountPaise() != r.amountPaise() || !e.getKind().equals(r.kind().name())
                || !e.getGatewayFeePolicy().equals(r.gatewayFee().name()) || !e.getPlatformFeePolicy().equals(r.platformFee().name())) {
            throw new LedgerException(LedgerException.Code.IDEMPOTENCY_CONFLICT, "refund id " + r.refundId() + " was used for another refund");
        }
        return new RefundPosting.Posted(e.getRefundId(), e.getJournalId(), e.getAmountPaise(), e.getFromPendingPaise(),
                e.getFromAvailablePaise(), e.getToReceivablePaise(), false);
    }

    /**
     * Locks the community wallet row, then the members' rows in sorted order (the one lock order of
     * every writer), creating missing rows, and returns their {pending, available, receivable}
     * keyed by role + NUL + user.
     */
    private static Map<String, long[]> lockWallets(DSLContext tx, String communityId, List<String[]> roleUsers) {
        var cw = com.commdesk.ledger.jooq.Tables.COMMUNITY_WALLET;
        var mw = com.commdesk.ledger.jooq.Tables.MEMBER_WALLET;
        tx.insertInto(cw).set(cw.COMMUNITY_ID, communityId).onConflictDoNothing().execute();
        tx.select(cw.COMMUNITY_ID).from(cw).where(cw.COMMUNITY_ID.eq(communityId)).forUpdate().execute();
        TreeMap<String, String[]> sorted = new TreeMap<>();
        for (String[] ru : roleUsers) sorted.put(ru[0] + "\u0000" + ru[1], ru);
        Map<String, long[]> out = new HashMap<>();
        for (var e : sorted.entrySet()) {
            String role = e.getValue()[0], user = e.getValue()[1];
            tx.insertInto(mw, mw.COMMUNITY_ID, mw.ROLE, mw.USER_ID).values(communityId, role, user).onConflictDoNothing().execute();
            var row = tx.select(mw.PENDING_PAISE, mw.AVAILABLE_PAISE, mw.RECEIVABLE_PAISE).from(mw)
                    .where(mw.COMMUNITY_ID.eq(communityId), mw.ROLE.eq(role), mw.USER_ID.eq(user)).forUpdate().fetchSingle();
            out.put(e.getKey(), new long[] {row.value1(), row.value2(), row.value3()});
        }
        return out;
    }

    /** A member's money changing state: pending -> available (release), available -> locked -> paid out or back. */
    public enum Movement {
        RELEASE("RELEASE", WalletBucket.PENDING, WalletBucket.AVAILABLE),
        PAYOUT_LOCK("PAYOUT_LOCK", WalletBucket.AVAILABLE, WalletBucket.LOCKED),
        PAYOUT_PAID("PAYOUT_PAID", WalletBucket.LOCKED, null),
        PAYOUT_FAILED("PAYOUT_FAILED", WalletBucket.LOCKED, WalletBucket.AVAILABLE),
        /** A paid-out transfer the bank sent back (late REVERSED): the exact negation of PAYOUT_PAID, back into locked. */
        PAYOUT_REVERSED("PAYOUT_REVERSED", null, WalletBucket.LOCKED);

        final String journalKind;
        final WalletBucket from; // null: from Cashfree's payout balance, back into the wallet
        final WalletBucket to; // null: out of the wallet, to Cashfree's payout balance

        Movement(String journalKind, WalletBucket from, WalletBucket to) {
            this.journalKind = journalKind;
            this.from = from;
            this.to = to;
        }
    }

    /** Who and how much; {@code idempotencyKey} names the movement (e.g. "payout-lock:&lt;payout id&gt;"). */
    public record MemberFunds(String idempotencyKey, String communityId, String role, String userId, long amountPaise) {
        public MemberFunds {
            if (amountPaise <= 0) throw new IllegalArgumentException("amountPaise must be positive, got " + amountPaise);
        }
    }

    /**
     * Moves a member's money as one balanced journal, idempotent by key. Fails with
     * INSUFFICIENT_FUNDS (nothing written) if the source bucket holds less than the amount: the
     * wallet CHECK constraints make overdrawing impossible even under races.
     */
    public long moveMemberFunds(Movement movement, MemberFunds funds, String description) {
        return inTransaction((tx, created) -> moveTx(tx, movement, funds, description));
    }

    long moveTx(DSLContext tx, Movement movement, MemberFunds f, String description) {
        String digest = sha256(movement + "|" + f.communityId() + "|" + f.role() + "|" + f.userId() + "|" + f.amountPaise());
        Long journalId = tx.insertInto(JOURNAL)
                .set(JOURNAL.IDEMPOTENCY_KEY, f.idempotencyKey())
                .set(JOURNAL.KIND, movement.journalKind)
                .set(JOURNAL.COMMUNITY_ID, f.communityId())
                .set(JOURNAL.DESCRIPTION, description)
                .set(JOURNAL.CONTENT_SHA256, digest)
                .onConflict(JOURNAL.IDEMPOTENCY_KEY).doNothing()
                .returning(JOURNAL.JOURNAL_ID)
                .fetchOptional(JOURNAL.JOURNAL_ID).orElse(null);
        if (journalId == null) {
            JournalRecord existing = tx.selectFrom(JOURNAL).where(JOURNAL.IDEMPOTENCY_KEY.eq(f.idempotencyKey())).fetchSingle();
            if (!existing.getContentSha256().equals(digest)) {
                throw new LedgerException(LedgerException.Code.IDEMPOTENCY_CONFLICT,
                        "idempotency key " + f.idempotencyKey() + " was used for a different movement");
            }
            return existing.getJournalId();
        }
        List<JournalLine> lines = List.of(
                movement.from != null
                        ? PaymentJournal.memberLine(f.communityId(), f.role(), f.userId(), movement.from, f.amountPaise())
                        : new JournalLine(AccountCodes.CASHFREE_PAYOUT_BALANCE, "ASSET", "CASHFREE_PAYOUT_BALANCE", null, null,
                                null, null, f.amountPaise()),
                movement.to != null
                        ? PaymentJournal.memberLine(f.communityId(), f.role(), f.userId(), movement.to, -f.amountPaise())
                        : new JournalLine(AccountCodes.CASHFREE_PAYOUT_BALANCE, "ASSET", "CASHFREE_PAYOUT_BALANCE", null, null,
                                null, null, -f.amountPaise()));
        insertPostings(tx, Map.of(journalId, lines));
        WalletDeltas deltas = new WalletDeltas();
        deltas.addLines(lines);
        if (movement == Movement.PAYOUT_PAID) deltas.addPaidOut(f.communityId(), f.role(), f.userId(), f.amountPaise());
        if (movement == Movement.PAYOUT_REVERSED) deltas.addPaidOut(f.communityId(), f.role(), f.userId(), -f.amountPaise());
        applyOrInsufficient(tx, deltas, f.role() + "/" + f.userId() + " in " + f.communityId() + " has less than "
                + f.amountPaise() + " paise " + (movement.from == null ? "paid out" : movement.from.name().toLowerCase(java.util.Locale.ROOT)));
        return journalId;
    }

    private static void applyOrInsufficient(DSLContext tx, WalletDeltas deltas, String message) {
        try {
            deltas.apply(tx);
        } catch (DataAccessException e) {
            if ("23514".equals(Retry.sqlState(e))) throw new LedgerException(LedgerException.Code.INSUFFICIENT_FUNDS, message);
            throw e;
        }
    }

    /**
     * Releases holds whose time has come: pending -> available, one transaction per hold, at most
     * {@code limit}. Safe to run from several workers at once (SKIP LOCKED; keyed "release:&lt;hold&gt;").
     * Returns how many were released.
     */
    public int releaseDueHolds(java.time.OffsetDateTime now, int limit) {
        if (limit < 1 || limit > 10_000) throw new IllegalArgumentException("limit must be 1..10000");
        int released = 0;
        while (released < limit) {
            long[] attempted = {0};
            try {
                boolean did = inTransaction((tx, created) -> {
                    var h = tx.selectFrom(WALLET_HOLD)
                            .where(WALLET_HOLD.RELEASE_AT.le(now), WALLET_HOLD.RELEASED_JOURNAL_ID.isNull(),
                                    WALLET_HOLD.CANCELLED_JOURNAL_ID.isNull(), WALLET_HOLD.BLOCKED_REASON.isNull())
                            .orderBy(WALLET_HOLD.RELEASE_AT, WALLET_HOLD.HOLD_ID)
                            .limit(1).forUpdate().skipLocked()
                            .fetchOptional().orElse(null);
                    if (h == null) return false;
                    attempted[0] = h.getHoldId();
                    long journalId = releaseTx(tx, h.getHoldId(), h.getCommunityId(), h.getRole(), h.getUserId(), h.getAmountPaise());
                    tx.update(WALLET_HOLD).set(WALLET_HOLD.RELEASED_JOURNAL_ID, journalId)
                            .where(WALLET_HOLD.HOLD_ID.eq(h.getHoldId())).execute();
                    return true;
                });
                if (!did) break;
                released++;
            } catch (LedgerException | org.jooq.exception.DataAccessException e) {
                if (attempted[0] == 0) throw e;
                // This hold cannot be released (a bug or a hand edit moved its money): set it aside with
                // the reason, reported by the invariant checker, instead of blocking every release behind it.
                long holdId = attempted[0];
                String why = String.valueOf(e.getMessage());
                dsl.update(WALLET_HOLD).set(WALLET_HOLD.BLOCKED_REASON, why.length() > 500 ? why.substring(0, 500) : why)
                        .where(WALLET_HOLD.HOLD_ID.eq(holdId), WALLET_HOLD.RELEASED_JOURNAL_ID.isNull()).execute();
            }
        }
        return released;
    }

    /**
     * pending -> available for one hold, except that what the member owes (a receivable from an
     * earlier refund) is recovered first: that part settles the receivable instead.
     */
    private long releaseTx(DSLContext tx, long holdId, String communityId, String role, String userId, long amountPaise) {
        long receivable = lockWallets(tx, communityId, List.<String[]>of(new String[] {role, userId}))
                .get(role + "\u0000" + userId)[2];
        long recover = Math.min(receivable, amountPaise);
        if (recover == 0) {
            return moveTx(tx, Movement.RELEASE, new MemberFunds("release:" + holdId, communityId, role, userId, amountPaise),
                    "hold " + holdId + " released");
        }
        long journalId = tx.insertInto(JOURNAL)
                .set(JOURNAL.IDEMPOTENCY_KEY, "release:" + holdId)
                .set(JOURNAL.KIND, "RELEASE")
                .set(JOURNAL.COMMUNITY_ID, communityId)
                .set(JOURNAL.DESCRIPTION, "hold " + holdId + " released; " + recover + " paise recovered against the receivable")
                .set(JOURNAL.CONTENT_SHA256, sha256("release|" + holdId + "|" + amountPaise + "|" + recover))
                .returning(JOURNAL.JOURNAL_ID).fetchSingle(JOURNAL.JOURNAL_ID);
        List<JournalLine> lines = new ArrayList<>(3);
        lines.add(PaymentJournal.memberLine(communityId, role, userId, WalletBucket.PENDING, amountPaise));
        lines.add(PaymentJournal.memberLine(communityId, role, userId, WalletBucket.RECEIVABLE, -recover));
        if (amountPaise > recover) lines.add(PaymentJournal.memberLine(communityId, role, userId, WalletBucket.AVAILABLE, -(amountPaise - recover)));
        insertPostings(tx, Map.of(journalId, lines));
        WalletDeltas deltas = new WalletDeltas();
        deltas.addLines(lines);
        applyOrInsufficient(tx, deltas, role + "/" + userId + " in " + communityId + " has less than " + amountPaise + " paise pending");
        return journalId;
    }

    /** All postings of these journals in one statement. */
    private void insertPostings(DSLContext tx, Map<Long, List<JournalLine>> journals) {
        List<JournalLine> all = new ArrayList<>();
        journals.values().forEach(all::addAll);
        if (all.isEmpty()) return;
        Map<String, Long> ids = resolveAccounts(tx, all, currentCreated.get());
        var insert = new ColumnarInsert<>(POSTING, POSTING.JOURNAL_ID, POSTING.ACCOUNT_ID, POSTING.AMOUNT_PAISE);
        for (var e : journals.entrySet()) {
            for (JournalLine line : e.getValue()) insert.row(e.getKey(), ids.get(line.accountCode()), line.amountPaise());
        }
        insert.insert(tx).execute();
    }

    /** Finds or creates the accounts of these lines. New ones are reported in {@code created}, cached after commit. */
    private Map<String, Long> resolveAccounts(DSLContext tx, List<JournalLine> lines, Map<String, Long> created) {
        Map<String, JournalLine> missing = new LinkedHashMap<>();
        Map<String, Long> ids = new HashMap<>();
        for (JournalLine line : lines) {
            Long id = accountIds.get(line.accountCode());
            if (id != null) ids.put(line.accountCode(), id);
            else missing.putIfAbsent(line.accountCode(), line);
        }
        if (missing.isEmpty()) return ids;
        var insert = tx.insertInto(LEDGER_ACCOUNT, LEDGER_ACCOUNT.CODE, LEDGER_ACCOUNT.KIND, LEDGER_ACCOUNT.PURPOSE,
                LEDGER_ACCOUNT.COMMUNITY_ID, LEDGER_ACCOUNT.ROLE, LEDGER_ACCOUNT.USER_ID);
        // Sorted, so two transactions creating the same accounts take their index locks in the same order.
        for (JournalLine line : new TreeMap<>(missing).values()) {
            insert = insert.values(line.accountCode(), line.kind(), line.purpose(), line.communityId(), line.role(), line.userId());
        }
        insert.onConflictDoNothing().execute();
        tx.select(LEDGER_ACCOUNT.CODE, LEDGER_ACCOUNT.ACCOUNT_ID).from(LEDGER_ACCOUNT)
                .where(LEDGER_ACCOUNT.CODE.in(missing.keySet()))
                .forEach(r -> {
                    ids.put(r.value1(), r.value2());
                    created.put(r.value1(), r.value2());
                });
        if (!ids.keySet().containsAll(missing.keySet())) throw new IllegalStateException("accounts not created: " + missing.keySet());
        return ids;
    }

    private static WalletBucket bucketOf(String purpose) {
        return switch (purpose) {
            case "MEMBER_PENDING" -> WalletBucket.PENDING;
            case "MEMBER_AVAILABLE" -> WalletBucket.AVAILABLE;
            case "MEMBER_LOCKED" -> WalletBucket.LOCKED;
            case "MEMBER_RECEIVABLE" -> WalletBucket.RECEIVABLE;
            default -> null;
        };
    }

    private static FeeBreakdown breakdownOf(RevenueTransactionRecord r) {
        return new FeeBreakdown(r.getGrossAmountPaise(), r.getGstAmountPaise(), r.getPaymentGatewayFeePaise(),
                r.getPaymentGatewayGstPaise(), r.getPlatformFeePaise(), r.getPlatformFeeGstPaise(), r.getTcsPaise(),
                r.getTdsPaise(), r.getNetRevenuePaise(),
                new com.commdesk.fees.GstHeads(r.getGstCgstPaise(), r.getGstSgstPaise(), r.getGstIgstPaise()),
                new com.commdesk.fees.GstHeads(0, 0, 0), new com.commdesk.fees.GstHeads(0, 0, 0),
                com.commdesk.fees.PlatformFeeGst.valueOf(r.getPlatformFeeGstMode()), r.getScheduleName(), 0);
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

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Used by tests and the invariant checker: the accounts cached so far. */
    Set<String> cachedAccountCodes() {
        return Set.copyOf(accountIds.keySet());
    }
}
