package com.commdesk.ledger.analytics;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;

/**
 * Payout volume and payout lists. The ledger's record of when money left is the PAYOUT_PAID journal
 * (and PAYOUT_REVERSED when a bank sent it back): volumes come from their postings, rolled up per day
 * and community ({@code analytics_payout_delta}, changelog 070); a month's list reads the journals
 * themselves (a partial index finds a period's few) with the payout row's id, member, status,
 * Cashfree transfer id and the bank's reference (UTR).
 */
public final class PayoutAnalytics {
    public static final int MAX_PAGE = 500;

    private final DSLContext dsl;

    public PayoutAnalytics(DSLContext dsl) {
        this.dsl = dsl;
    }

    public record Volume(long paid, long paidPaise, long reversed, long reversedPaise) {
        public static final Volume ZERO = new Volume(0, 0, 0, 0);

        /** Paid less reversed: what actually left for members' bank accounts. */
        public long netPaise() {
            return Math.subtractExact(paidPaise, reversedPaise);
        }
    }

    public record Point(LocalDate bucket, Volume volume) {}

    /** {@code communityId} null: the whole platform. Read from the rollup {@code analytics_payout_delta}. */
    public Volume totals(String communityId, Period period) {
        var r = dsl.fetchSingle("select " + SUMS + " from analytics_payout_delta where " + RevenueAnalytics.where(communityId),
                RevenueAnalytics.binds(communityId, period));
        return new Volume(r.get(0, Long.class), r.get(1, Long.class), r.get(2, Long.class), r.get(3, Long.class));
    }

    public List<Point> series(String communityId, Period period, Granularity granularity) {
        Map<LocalDate, Volume> found = new HashMap<>();
        dsl.fetch("select " + granularity.bucket("day") + ", " + SUMS + " from analytics_payout_delta where "
                        + RevenueAnalytics.where(communityId) + " group by 1", RevenueAnalytics.binds(communityId, period))
                .forEach(r -> found.put(r.get(0, LocalDate.class),
                        new Volume(r.get(1, Long.class), r.get(2, Long.class), r.get(3, Long.class), r.get(4, Long.class))));
        List<Point> out = new ArrayList<>();
        for (LocalDate b : RevenueAnalytics.buckets(period, granularity)) out.add(new Point(b, found.getOrDefault(b, Volume.ZERO)));
        return out;
    }

    /** Paid less reversed before the first day of the period: what had left for members' banks by then. */
    public long netPaidBefore(String communityId, LocalDate day) {
        Object v = dsl.fetchValue("select coalesce(sum(paid_paise - reversed_paise), 0)::bigint from analytics_payout_delta"
                + " where community_id = ? and day < ?", communityId, day);
        return ((Number) v).longValue();
    }

    private static final String SUMS = "coalesce(sum(paid), 0)::bigint, coalesce(sum(paid_paise), 0)::bigint,"
            + " coalesce(sum(reversed), 0)::bigint, coalesce(sum(reversed_paise), 0)::bigint";

    /** A payout as the dashboard lists it. */
    public record PayoutLine(String payoutId, String settlementId, String communityId, String role, String userId,
                             long amountPaise, String status, String requestedBy, String decidedBy, String cfTransferId,
                             String cashfreeStatus, String reason, OffsetDateTime createdAt, OffsetDateTime paidAt, String bankUtr) {}

    /** A community's payouts (optionally one member's), newest first, keyset by (created_at, payout_id). */
    public List<PayoutLine> payouts(String communityId, String userId, int limit) {
        if (limit < 1 || limit > MAX_PAGE) throw new IllegalArgumentException("limit must be 1.." + MAX_PAGE);
        return dsl.fetch("select payout_id, settlement_id, community_id, role, user_id, amount_paise, status, requested_by, decided_by,"
                        + " cf_transfer_id, cashfree_status, reason, created_at, paid_at, bank_utr from payout where community_id = ?"
                        + (userId == null ? "" : " and user_id = ?") + " order by created_at desc, payout_id limit ?",
                        userId == null ? new Object[] {communityId, limit} : new Object[] {communityId, userId, limit})
                .map(r -> new PayoutLine(r.get(0, String.class), r.get(1, String.class), r.get(2, String.class), r.get(3, String.class),
                        r.get(4, String.class), r.get(5, Long.class), r.get(6, String.class), r.get(7, String.class),
                        r.get(8, String.class), r.get(9, String.class), r.get(10, String.class), r.get(11, String.class),
                        r.get(12, OffsetDateTime.class), r.get(13, OffsetDateTime.class), r.get(14, String.class)));
    }

    /**
     * One money movement of a payout in a period: PAYOUT_PAID (out) or PAYOUT_REVERSED (back), with its journal.
     * {@code heldForFinance}: a PAYOUT_REVERSED that is no bank's reversal but the first half of a relock hold (the money of a
     * paid payout returned and locked again at once for finance, because Cashfree contradicted itself; review s6 F-M1, R2-L3).
     */
    public record PayoutMovement(long journalId, String kind, OffsetDateTime at, long amountPaise, String payoutId, String role,
                                 String userId, String status, String cfTransferId, String bankUtr, boolean heldForFinance) {}

    /**
     * Whether the PAYOUT_REVERSED journal aliased {@code j} is a relock hold's return rather than a bank's reversal: its payout's
     * relock ({@code payout_lock:payout_relock:<id>}) was written in the same transaction ({@code journal.tx_id}), which only
     * PayoutReturns' hold does; a bank's REVERSED never locks again. Read from what every such journal already has, so
     * rows written before this was asked are recognised too, and no journal key or content changes (review s6 R2-L3).
     */
    public static String heldForFinance(String j) {
        return "(" + j + ".kind = 'PAYOUT_REVERSED' and exists (select 1 from payout h join journal l on l.journal_id = h.relock_journal_id"
                + " where h.reversed_journal_id = " + j + ".journal_id and l.tx_id = " + j + ".tx_id))";
    }

    /**
     * Whether the PAYOUT_FAILED journal aliased {@code j} is the second half of a relock hold's return (the money back in
     * available only to be locked again at once): recognised as {@link #heldForFinance} recognises the first half, by its
     * payout's relock journal written in the same transaction, so rows written before R2-L3 are recognised too.
     */
    public static String heldForFinanceRelease(String j) {
        return "(" + j + ".kind = 'PAYOUT_FAILED' and exists (select 1 from payout h join journal l on l.journal_id = h.relock_journal_id"
                + " where h.failed_journal_id = " + j + ".journal_id and l.tx_id = " + j + ".tx_id))";
    }

    /** Every payout paid or reversed in the period, in journal order (what a monthly statement lists). */
    public List<PayoutMovement> movements(String communityId, Period period) {
        return dsl.fetch("""
                select j.journal_id, j.kind, j.created_at,
                       (select coalesce(sum(p.amount_paise) filter (where p.amount_paise > 0), 0)::bigint
                          from posting p where p.journal_id = j.journal_id),
                       coalesce(pp.payout_id, pr.payout_id, qp.payout_id, qr.payout_id),
                       coalesce(pp.role, pr.role, qp.role, qr.role), coalesce(pp.user_id, pr.user_id, qp.user_id, qr.user_id),
                       coalesce(pp.status, pr.status, qp.status, qr.status),
                       coalesce(pp.cf_transfer_id, pr.cf_transfer_id, qp.cf_transfer_id, qr.cf_transfer_id),
                       coalesce(pp.bank_utr, pr.bank_utr, qp.bank_utr, qr.bank_utr),
                       %held
                  from journal j
                  left join payout pp on j.kind = 'PAYOUT_PAID' and pp.paid_journal_id = j.journal_id
                  left join payout pr on j.kind = 'PAYOUT_REVERSED' and pr.reversed_journal_id = j.journal_id
                  -- the relock round's own payment and reversal (review L-4; changeset 108 indexes them as 070 does the first's)
                  left join payout qp on j.kind = 'PAYOUT_PAID' and qp.relock_paid_journal_id = j.journal_id
                  left join payout qr on j.kind = 'PAYOUT_REVERSED' and qr.relock_reversed_journal_id = j.journal_id
                 where j.kind in ('PAYOUT_PAID', 'PAYOUT_REVERSED') and j.community_id = ?
                   and j.created_at >= cast(? as timestamptz) and j.created_at < cast(? as timestamptz)
                 order by j.journal_id
                """.replace("%held", heldForFinance("j")), communityId, period.startInstant().toString(), period.endInstant().toString())
                .map(r -> new PayoutMovement(r.get(0, Long.class), r.get(1, String.class), r.get(2, OffsetDateTime.class),
                        r.get(3, Long.class), r.get(4, String.class), r.get(5, String.class), r.get(6, String.class),
                        r.get(7, String.class), r.get(8, String.class), r.get(9, String.class), r.get(10, Boolean.class)));
    }
}
