package com.commdesk.ledger;

import static com.commdesk.ledger.jooq.Tables.COMMUNITY;
import static com.commdesk.ledger.jooq.Tables.COMMUNITY_WALLET;
import static com.commdesk.ledger.jooq.Tables.JOURNAL;
import static com.commdesk.ledger.jooq.Tables.LEDGER_ACCOUNT;
import static com.commdesk.ledger.jooq.Tables.MEMBER_WALLET;
import static com.commdesk.ledger.jooq.Tables.PAYOUT_INSTRUCTION;
import static com.commdesk.ledger.jooq.Tables.PLATFORM_REVENUE;
import static com.commdesk.ledger.jooq.Tables.POSTING;
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
import org.jooq.InsertValuesStep3;
import org.jooq.JSONB;
import org.jooq.Query;
import org.jooq.impl.DSL;

/**
 * Writes the books. Every method is one database transaction, idempotent by key, retried on
 * serialization failures and deadlocks. Lock order, always: the community wallet row, then
 * member wallet rows sorted by (role, user) — so concurrent postings never deadlock each other.
 */
public final class LedgerRepository {
    private final DSLContext dsl;
    /** Account ids never change once committed, so they are cached after commit only. */
    private final Map<String, Long> accountIds = new ConcurrentHashMap<>();

    public LedgerRepository(DSLContext dsl) {
        this.dsl = dsl;
    }

    /**
     * Posts one payment: journal + postings + revenue transaction + distributions + platform
     * revenue + wallet projections, atomically. The same key with the same content returns the
     * first result and writes nothing; with other content it is an IDEMPOTENCY_CONFLICT.
     */
    public PostedPayment postPayment(PaymentPosting p) {
        List<JournalLine> lines = PaymentJournal.lines(p.communityId(), p.breakdown(), p.shares());
        String digest = p.contentSha256();
        Map<String, Long> created = new HashMap<>();
        PostedPayment result = Retry.transient_(() -> {
            created.clear();
            return dsl.transactionResult(cfg -> postPaymentTx(cfg.dsl(), p, lines, digest, created));
        });
        accountIds.putAll(created);
        return result;
    }

    private PostedPayment postPaymentTx(DSLContext tx, PaymentPosting p, List<JournalLine> lines, String digest,
                                        Map<String, Long> created) {
        if (!tx.fetchExists(COMMUNITY, COMMUNITY.COMMUNITY_ID.eq(p.communityId()))) {
            throw new LedgerException(LedgerException.Code.UNKNOWN_COMMUNITY, "unknown community " + p.communityId());
        }
        Long journalId = tx.insertInto(JOURNAL)
                .set(JOURNAL.IDEMPOTENCY_KEY, p.idempotencyKey())
                .set(JOURNAL.KIND, "PAYMENT")
                .set(JOURNAL.COMMUNITY_ID, p.communityId())
                .set(JOURNAL.DESCRIPTION, "payment " + p.sourceType() + " " + p.sourceId() + " order " + p.cashfreeOrderId())
                .set(JOURNAL.CONTENT_SHA256, digest)
                .onConflict(JOURNAL.IDEMPOTENCY_KEY).doNothing()
                .returning(JOURNAL.JOURNAL_ID)
                .fetchOptional(JOURNAL.JOURNAL_ID).orElse(null);
        if (journalId == null) {
            JournalRecord existing = tx.selectFrom(JOURNAL).where(JOURNAL.IDEMPOTENCY_KEY.eq(p.idempotencyKey())).fetchSingle();
            if (!existing.getContentSha256().equals(digest) || !"PAYMENT".equals(existing.getKind())) {
                throw new LedgerException(LedgerException.Code.IDEMPOTENCY_CONFLICT,
                        "idempotency key " + p.idempotencyKey() + " was already posted with different content");
            }
            return new PostedPayment(p.transactionId(), existing.getJournalId(), false);
        }
        if (tx.fetchExists(REVENUE_TRANSACTION, REVENUE_TRANSACTION.CASHFREE_ORDER_ID.eq(p.cashfreeOrderId()))) {
            throw new LedgerException(LedgerException.Code.ORDER_ALREADY_POSTED,
                    "Cashfree order " + p.cashfreeOrderId() + " is already posted under another key");
        }
        insertPostings(tx, journalId, lines, created);

        FeeBreakdown b = p.breakdown();
        UUID transactionId = p.transactionId();
        tx.insertInto(REVENUE_TRANSACTION)
                .set(REVENUE_TRANSACTION.TRANSACTION_ID, transactionId)
                .set(REVENUE_TRANSACTION.COMMUNITY_ID, p.communityId())
                .set(REVENUE_TRANSACTION.SOURCE_TYPE, p.sourceType())
                .set(REVENUE_TRANSACTION.SOURCE_ID, p.sourceId())
                .set(REVENUE_TRANSACTION.CASHFREE_ORDER_ID, p.cashfreeOrderId())
                .set(REVENUE_TRANSACTION.CASHFREE_PAYMENT_ID, p.cashfreePaymentId())
                .set(REVENUE_TRANSACTION.PAYMENT_METHOD, p.paymentMethod())
                .set(REVENUE_TRANSACTION.GROSS_AMOUNT_PAISE, b.amountPaise())
                .set(REVENUE_TRANSACTION.GST_AMOUNT_PAISE, b.gstPaise())
                .set(REVENUE_TRANSACTION.GST_CGST_PAISE, b.gstHeads().cgstPaise())
                .set(REVENUE_TRANSACTION.GST_SGST_PAISE, b.gstHeads().sgstPaise())
                .set(REVENUE_TRANSACTION.GST_IGST_PAISE, b.gstHeads().igstPaise())
                .set(REVENUE_TRANSACTION.PAYMENT_GATEWAY_FEE_PAISE, b.gatewayFeePaise())
                .set(REVENUE_TRANSACTION.PAYMENT_GATEWAY_GST_PAISE, b.gatewayFeeGstPaise())
                .set(REVENUE_TRANSACTION.PLATFORM_FEE_PAISE, b.platformFeePaise())
                .set(REVENUE_TRANSACTION.PLATFORM_FEE_GST_PAISE, b.platformFeeGstPaise())
                .set(REVENUE_TRANSACTION.PLATFORM_FEE_GST_MODE, b.platformFeeGst().name())
                .set(REVENUE_TRANSACTION.TCS_PAISE, b.tcsPaise())
                .set(REVENUE_TRANSACTION.TDS_PAISE, b.tdsPaise())
                .set(REVENUE_TRANSACTION.NET_REVENUE_PAISE, b.netPaise())
                .set(REVENUE_TRANSACTION.SCHEDULE_NAME, b.scheduleName())
                .set(REVENUE_TRANSACTION.RULE_ID, p.ruleId())
                .set(REVENUE_TRANSACTION.RULE_VERSION, p.ruleVersion())
                .set(REVENUE_TRANSACTION.METADATA, JSONB.valueOf(metadataJson(p.metadata())))
                .set(REVENUE_TRANSACTION.IDEMPOTENCY_KEY, p.idempotencyKey())
                .set(REVENUE_TRANSACTION.JOURNAL_ID, journalId)
                .execute();
        var distributions = tx.insertInto(REVENUE_DISTRIBUTION,
                REVENUE_DISTRIBUTION.DISTRIBUTION_ID, REVENUE_DISTRIBUTION.TRANSACTION_ID, REVENUE_DISTRIBUTION.COMMUNITY_ID,
                REVENUE_DISTRIBUTION.USER_ID, REVENUE_DISTRIBUTION.ROLE_ID, REVENUE_DISTRIBUTION.ROLE_NAME,
                REVENUE_DISTRIBUTION.SHARE_BPS, REVENUE_DISTRIBUTION.AMOUNT_PAISE);
        for (RoleAllocation role : p.shares()) {
            for (MemberAllocation m : role.members()) {
                distributions = distributions.values(
                        UUID.nameUUIDFromBytes((transactionId + ":" + role.role() + ":" + m.userId()).getBytes(StandardCharsets.UTF_8)),
                        transactionId, p.communityId(), m.userId(), p.communityId() + ":" + role.role(), role.role(),
                        role.shareBps(), m.amountPaise());
            }
        }
        distributions.execute();
        tx.insertInto(PLATFORM_REVENUE)
                .set(PLATFORM_REVENUE.PLATFORM_REVENUE_ID, UUID.nameUUIDFromBytes(("platform:" + transactionId).getBytes(StandardCharsets.UTF_8)))
                .set(PLATFORM_REVENUE.TRANSACTION_ID, transactionId)
                .set(PLATFORM_REVENUE.AMOUNT_PAISE, b.platformFeePaise())
                .set(PLATFORM_REVENUE.GST_AMOUNT_PAISE, b.platformFeeGstPaise())
                .set(PLATFORM_REVENUE.FEE_BPS, b.platformFeeRateBps())
                .execute();

        applyCommunityTotals(tx, p.communityId(), +1, b);
        applyMemberWallets(tx, p.communityId(), lines);
        return new PostedPayment(transactionId, journalId, true);
    }

    /**
     * Posts the exact negation of a payment journal, linked to it, and takes the payment back out
     * of the wallets and community totals. Nothing is deleted. Idempotent by {@code reversalKey};
     * a journal can be reversed once. Fails with INSUFFICIENT_FUNDS if members' pending credit has
     * already moved on (released or paid out) — recovering that is the refund workflow's job.
     */
    public long reversePayment(long paymentJournalId, String reversalKey, String reason) {
        Map<String, Long> created = new HashMap<>();
        long id = Retry.transient_(() -> {
            created.clear();
            return dsl.transactionResult(cfg -> reverseTx(cfg.dsl(), paymentJournalId, reversalKey, reason, created));
        });
        accountIds.putAll(created);
        return id;
    }

    private long reverseTx(DSLContext tx, long originalId, String key, String reason, Map<String, Long> created) {
        JournalRecord original = tx.selectFrom(JOURNAL).where(JOURNAL.JOURNAL_ID.eq(originalId)).fetchOptional()
                .orElseThrow(() -> new LedgerException(LedgerException.Code.NOT_FOUND, "journal " + originalId + " not found"));
        if (!"PAYMENT".equals(original.getKind())) {
            throw new LedgerException(LedgerException.Code.NOT_FOUND, "journal " + originalId + " is not a payment");
        }
        String digest = sha256("reversal|" + originalId + "|" + reason);
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
        insertPostings(tx, reversalId, lines, created);
        RevenueTransactionRecord rt = tx.selectFrom(REVENUE_TRANSACTION).where(REVENUE_TRANSACTION.JOURNAL_ID.eq(originalId)).fetchSingle();
        // The reversed credits must never be released or paid out. Holds are touched before wallet
        // rows, the same order as releaseDueHolds, so a reversal and a release cannot deadlock.
        tx.update(WALLET_HOLD).set(WALLET_HOLD.CANCELLED_JOURNAL_ID, reversalId)
                .where(WALLET_HOLD.TRANSACTION_ID.eq(rt.getTransactionId()), WALLET_HOLD.RELEASED_JOURNAL_ID.isNull())
                .execute();
        tx.update(PAYOUT_INSTRUCTION).set(PAYOUT_INSTRUCTION.STATUS, "CANCELLED")
                .where(PAYOUT_INSTRUCTION.TRANSACTION_ID.eq(rt.getTransactionId()), PAYOUT_INSTRUCTION.STATUS.eq("SCHEDULED"))
                .execute();
        applyCommunityTotals(tx, original.getCommunityId(), -1, breakdownOf(rt));
        try {
            applyMemberWallets(tx, original.getCommunityId(), lines);
        } catch (org.jooq.exception.DataAccessException e) {
            if ("23514".equals(Retry.sqlState(e))) {
                throw new LedgerException(LedgerException.Code.INSUFFICIENT_FUNDS,
                        "cannot reverse journal " + originalId + ": members' pending credit has already been released or paid out");
            }
            throw e;
        }
        return reversalId;
    }

    /** A member's money changing state: pending -> available (release), available -> locked -> paid out or back. */
    public enum Movement {
        RELEASE("RELEASE", WalletBucket.PENDING, WalletBucket.AVAILABLE),
        PAYOUT_LOCK("PAYOUT_LOCK", WalletBucket.AVAILABLE, WalletBucket.LOCKED),
        PAYOUT_PAID("PAYOUT_PAID", WalletBucket.LOCKED, null),
        PAYOUT_FAILED("PAYOUT_FAILED", WalletBucket.LOCKED, WalletBucket.AVAILABLE);

        final String journalKind;
        final WalletBucket from;
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
        Map<String, Long> created = new HashMap<>();
        long id = Retry.transient_(() -> {
            created.clear();
            return dsl.transactionResult(cfg -> moveTx(cfg.dsl(), movement, funds, description, created));
        });
        accountIds.putAll(created);
        return id;
    }

    long moveTx(DSLContext tx, Movement movement, MemberFunds f, String description, Map<String, Long> created) {
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
        List<JournalLine> lines = new ArrayList<>(2);
        lines.add(PaymentJournal.memberLine(f.communityId(), f.role(), f.userId(), movement.from, f.amountPaise()));
        lines.add(movement.to != null
                ? PaymentJournal.memberLine(f.communityId(), f.role(), f.userId(), movement.to, -f.amountPaise())
                : new JournalLine(AccountCodes.CASHFREE_PAYOUT_BALANCE, "ASSET", "CASHFREE_PAYOUT_BALANCE", null, null, null, null,
                        -f.amountPaise()));
        insertPostings(tx, journalId, lines, created);
        try {
            applyMemberWallets(tx, f.communityId(), lines);
        } catch (org.jooq.exception.DataAccessException e) {
            if ("23514".equals(Retry.sqlState(e))) {
                throw new LedgerException(LedgerException.Code.INSUFFICIENT_FUNDS, f.role() + "/" + f.userId() + " in "
                        + f.communityId() + " has less than " + f.amountPaise() + " paise " + movement.from.name().toLowerCase());
            }
            throw e;
        }
        if (movement == Movement.PAYOUT_PAID) {
            tx.update(MEMBER_WALLET).set(MEMBER_WALLET.PAID_OUT_PAISE, MEMBER_WALLET.PAID_OUT_PAISE.plus(f.amountPaise()))
                    .where(MEMBER_WALLET.COMMUNITY_ID.eq(f.communityId()), MEMBER_WALLET.ROLE.eq(f.role()), MEMBER_WALLET.USER_ID.eq(f.userId()))
                    .execute();
            tx.update(COMMUNITY_WALLET).set(COMMUNITY_WALLET.TOTAL_WITHDRAWN_PAISE, COMMUNITY_WALLET.TOTAL_WITHDRAWN_PAISE.plus(f.amountPaise()))
                    .where(COMMUNITY_WALLET.COMMUNITY_ID.eq(f.communityId()))
                    .execute();
        }
        return journalId;
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
            Map<String, Long> created = new HashMap<>();
            boolean did = Retry.transient_(() -> {
                created.clear();
                return dsl.transactionResult(cfg -> {
                    DSLContext tx = cfg.dsl();
                    var h = tx.selectFrom(WALLET_HOLD)
                            .where(WALLET_HOLD.RELEASE_AT.le(now), WALLET_HOLD.RELEASED_JOURNAL_ID.isNull(),
                                    WALLET_HOLD.CANCELLED_JOURNAL_ID.isNull())
                            .orderBy(WALLET_HOLD.RELEASE_AT, WALLET_HOLD.HOLD_ID)
                            .limit(1).forUpdate().skipLocked()
                            .fetchOptional().orElse(null);
                    if (h == null) return false;
                    long journalId = moveTx(tx, Movement.RELEASE, new MemberFunds("release:" + h.getHoldId(), h.getCommunityId(),
                            h.getRole(), h.getUserId(), h.getAmountPaise()), "hold " + h.getHoldId() + " released", created);
                    tx.update(WALLET_HOLD).set(WALLET_HOLD.RELEASED_JOURNAL_ID, journalId)
                            .where(WALLET_HOLD.HOLD_ID.eq(h.getHoldId())).execute();
                    return true;
                });
            });
            accountIds.putAll(created);
            if (!did) break;
            released++;
        }
        return released;
    }

    private void insertPostings(DSLContext tx, long journalId, List<JournalLine> lines, Map<String, Long> created) {
        Map<String, Long> ids = resolveAccounts(tx, lines, created);
        InsertValuesStep3<?, Long, Long, Long> insert = tx.insertInto(POSTING, POSTING.JOURNAL_ID, POSTING.ACCOUNT_ID, POSTING.AMOUNT_PAISE);
        for (JournalLine line : lines) insert = insert.values(journalId, ids.get(line.accountCode()), line.amountPaise());
        insert.execute();
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

    private static void applyCommunityTotals(DSLContext tx, String communityId, int sign, FeeBreakdown b) {
        tx.insertInto(COMMUNITY_WALLET).set(COMMUNITY_WALLET.COMMUNITY_ID, communityId).onConflictDoNothing().execute();
        var w = COMMUNITY_WALLET;
        tx.update(w)
                .set(w.TOTAL_GROSS_REVENUE_PAISE, w.TOTAL_GROSS_REVENUE_PAISE.plus(sign * b.amountPaise()))
                .set(w.TOTAL_PLATFORM_FEES_PAISE, w.TOTAL_PLATFORM_FEES_PAISE.plus(sign * b.platformFeePaise()))
                .set(w.TOTAL_GATEWAY_FEES_PAISE, w.TOTAL_GATEWAY_FEES_PAISE.plus(sign * (b.gatewayFeePaise() + b.gatewayFeeGstPaise())))
                .set(w.TOTAL_GST_COLLECTED_PAISE, w.TOTAL_GST_COLLECTED_PAISE.plus(sign * b.gstPaise()))
                .set(w.TOTAL_NET_REVENUE_PAISE, w.TOTAL_NET_REVENUE_PAISE.plus(sign * b.netPaise()))
                .set(w.UPDATED_AT, DSL.currentOffsetDateTime())
                .where(w.COMMUNITY_ID.eq(communityId))
                .execute();
    }

    /**
     * Moves the wallet projections by exactly what the member postings say (credit-normal:
     * a credit of x paise raises the bucket by x). The community wallet's pending/available/locked
     * are the sums over its members and move with them. Rows are touched community first, then
     * members sorted, which is the lock order every writer follows.
     */
    static void applyMemberWallets(DSLContext tx, String communityId, List<JournalLine> lines) {
        record Key(String role, String userId) implements Comparable<Key> {
            public int compareTo(Key o) {
                int c = role.compareTo(o.role);
                return c != 0 ? c : userId.compareTo(o.userId);
            }
        }
        TreeMap<Key, long[]> deltas = new TreeMap<>();
        long[] communityDelta = new long[3];
        for (JournalLine line : lines) {
            if (line.bucket() == null) continue;
            if (!communityId.equals(line.communityId())) throw new IllegalArgumentException("member line of another community: " + line);
            long[] d = deltas.computeIfAbsent(new Key(line.role(), line.userId()), k -> new long[3]);
            d[line.bucket().ordinal()] = Math.subtractExact(d[line.bucket().ordinal()], line.amountPaise());
            communityDelta[line.bucket().ordinal()] = Math.subtractExact(communityDelta[line.bucket().ordinal()], line.amountPaise());
        }
        if (deltas.isEmpty()) return;
        var cw = COMMUNITY_WALLET;
        tx.insertInto(cw).set(cw.COMMUNITY_ID, communityId).onConflictDoNothing().execute();
        tx.update(cw)
                .set(cw.PENDING_SETTLEMENT_PAISE, cw.PENDING_SETTLEMENT_PAISE.plus(communityDelta[WalletBucket.PENDING.ordinal()]))
                .set(cw.AVAILABLE_BALANCE_PAISE, cw.AVAILABLE_BALANCE_PAISE.plus(communityDelta[WalletBucket.AVAILABLE.ordinal()]))
                .set(cw.LOCKED_BALANCE_PAISE, cw.LOCKED_BALANCE_PAISE.plus(communityDelta[WalletBucket.LOCKED.ordinal()]))
                .set(cw.UPDATED_AT, DSL.currentOffsetDateTime())
                .where(cw.COMMUNITY_ID.eq(communityId))
                .execute();
        var mw = MEMBER_WALLET;
        var ensure = tx.insertInto(mw, mw.COMMUNITY_ID, mw.ROLE, mw.USER_ID);
        for (Key k : deltas.keySet()) ensure = ensure.values(communityId, k.role(), k.userId());
        ensure.onConflictDoNothing().execute();
        List<Query> updates = new ArrayList<>(deltas.size());
        deltas.forEach((k, d) -> updates.add(tx.update(mw)
                .set(mw.PENDING_PAISE, mw.PENDING_PAISE.plus(d[WalletBucket.PENDING.ordinal()]))
                .set(mw.AVAILABLE_PAISE, mw.AVAILABLE_PAISE.plus(d[WalletBucket.AVAILABLE.ordinal()]))
                .set(mw.LOCKED_PAISE, mw.LOCKED_PAISE.plus(d[WalletBucket.LOCKED.ordinal()]))
                .set(mw.UPDATED_AT, DSL.currentOffsetDateTime())
                .where(mw.COMMUNITY_ID.eq(communityId), mw.ROLE.eq(k.role()), mw.USER_ID.eq(k.userId()))));
        tx.batch(updates).execute();
    }

    private static WalletBucket bucketOf(String purpose) {
        return switch (purpose) {
            case "MEMBER_PENDING" -> WalletBucket.PENDING;
            case "MEMBER_AVAILABLE" -> WalletBucket.AVAILABLE;
            case "MEMBER_LOCKED" -> WalletBucket.LOCKED;
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
