package com.commdesk.ledger.analytics;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.jooq.DSLContext;

/**
 * The raw rows a figure sums, so every dashboard number can be traced to the ledger: the transaction
 * register (payments posted in the period, and reversals in the period as negative lines, exactly what
 * the revenue rollup adds up) and the refund register. Keyset-paginated, oldest first.
 */
public final class Registers {
    public static final int MAX_PAGE = 1000;

    private final DSLContext dsl;

    public Registers(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** A payment (positive) or the reversal of one (the same amounts negated, on the reversal's day). */
    public record Line(String kind, OffsetDateTime at, long journalId, UUID transactionId, String communityId, String sourceType,
                       String cashfreeOrderId, String ruleId, Integer ruleVersion, String scheduleName, long grossPaise,
                       long gstPaise, long gatewayFeePaise, long gatewayGstPaise, long platformFeePaise, long platformGstPaise,
                       long tcsPaise, long tdsPaise, long netPaise) {}

    /** {@code next} is the cursor for the following page ({@code after}), null at the end. */
    public record Page(List<Line> lines, String next) {}

    /** {@code communityId} null: the whole platform. {@code after}: a cursor from a previous page, or null. */
    public Page transactions(String communityId, Period period, String after, int limit) {
        if (limit < 1 || limit > MAX_PAGE) throw new IllegalArgumentException("limit must be 1.." + MAX_PAGE);
        String afterAt = "-infinity";
        long afterJournal = 0;
        if (after != null) {
            int sep = after.lastIndexOf('_');
            if (sep < 1) throw new IllegalArgumentException("after is not a cursor of this register");
            afterAt = after.substring(0, sep);
            try {
                afterJournal = Long.parseLong(after.substring(sep + 1));
                OffsetDateTime.parse(afterAt);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("after is not a cursor of this register");
            }
        }
        String c = communityId == null ? "" : " and %s.community_id = ?";
        String sql = """
                select * from (
                  select 'PAYMENT' as kind, t.created_at as at, t.journal_id, t.transaction_id, t.community_id, t.source_type,
                         t.cashfree_order_id, t.rule_id, t.rule_version, t.schedule_name, t.gross_amount_paise, t.gst_amount_paise,
                         t.payment_gateway_fee_paise, t.payment_gateway_gst_paise, t.platform_fee_paise, t.platform_fee_gst_paise,
                         t.tcs_paise, t.tds_paise, t.net_revenue_paise
                    from revenue_transaction t
                   where t.created_at >= cast(? as timestamptz) and t.created_at < cast(? as timestamptz)%1$s
                  union all
                  select 'REVERSAL', j.created_at, j.journal_id, t.transaction_id, t.community_id, t.source_type, t.cashfree_order_id,
                         t.rule_id, t.rule_version, t.schedule_name, -t.gross_amount_paise, -t.gst_amount_paise,
                         -t.payment_gateway_fee_paise, -t.payment_gateway_gst_paise, -t.platform_fee_paise, -t.platform_fee_gst_paise,
                         -t.tcs_paise, -t.tds_paise, -t.net_revenue_paise
                    from journal j join revenue_transaction t on t.journal_id = j.reverses_journal_id
                   where j.kind = 'REVERSAL' and j.created_at >= cast(? as timestamptz) and j.created_at < cast(? as timestamptz)%2$s
                ) x
                 where (x.at, x.journal_id) > (cast(? as timestamptz), ?)
                 order by x.at, x.journal_id
                 limit ?
                """.formatted(c.formatted("t"), c.formatted("j"));
        String from = period.startInstant().toString(), to = period.endInstant().toString();
        Object[] binds = communityId == null
                ? new Object[] {from, to, from, to, afterAt, afterJournal, limit + 1}
                : new Object[] {from, to, communityId, from, to, communityId, afterAt, afterJournal, limit + 1};
        List<Line> rows = dsl.fetch(sql, binds).map(r -> new Line(r.get(0, String.class), r.get(1, OffsetDateTime.class),
                r.get(2, Long.class), r.get(3, UUID.class), r.get(4, String.class), r.get(5, String.class), r.get(6, String.class),
                r.get(7, String.class), r.get(8, Integer.class), r.get(9, String.class), r.get(10, Long.class), r.get(11, Long.class),
                r.get(12, Long.class), r.get(13, Long.class), r.get(14, Long.class), r.get(15, Long.class), r.get(16, Long.class),
                r.get(17, Long.class), r.get(18, Long.class)));
        boolean more = rows.size() > limit;
        List<Line> page = more ? rows.subList(0, limit) : rows;
        Line last = page.isEmpty() ? null : page.get(page.size() - 1);
        return new Page(List.copyOf(page), more ? last.at().toInstant() + "_" + last.journalId() : null);
    }

    public record RefundLine(String refundId, String kind, UUID transactionId, String communityId, String cashfreeOrderId,
                             OffsetDateTime at, long amountPaise, long gstPaise, long gatewayPaise, long platformPaise, long tcsPaise,
                             long tdsPaise, long netPaise, long membersPaise, long journalId) {}

    /**
     * Refunds and chargebacks booked in the period (a refund is booked when it is reserved), and, as
     * negative lines of kind REFUND_CANCELLED / REFUND_FAILED on the day Cashfree said so, refunds whose
     * reservation was given back: the lines the revenue rollup's refund figures sum. Oldest first (at most
     * {@code limit}).
     */
    public List<RefundLine> refunds(String communityId, Period period, int limit) {
        if (limit < 1 || limit > 100_000) throw new IllegalArgumentException("limit must be 1..100000");
        String community = communityId == null ? "" : " and t.community_id = ?";
        Object[] range = {period.startInstant().toString(), period.endInstant().toString()};
        List<Object> binds = new java.util.ArrayList<>(List.of(range));
        if (communityId != null) binds.add(communityId);
        binds.addAll(List.of(range));
        if (communityId != null) binds.add(communityId);
        binds.add(limit);
        return dsl.fetch("""
                select * from (
                select r.refund_id, r.kind, r.transaction_id, t.community_id, t.cashfree_order_id, r.created_at, r.amount_paise,
                       coalesce(r.part_gst_paise, 0), coalesce(r.part_gateway_paise, 0), coalesce(r.part_platform_paise, 0),
                       coalesce(r.part_tcs_paise, 0), coalesce(r.part_tds_paise, 0), coalesce(r.part_net_paise, 0),
                       r.from_pending_paise + r.from_available_paise + r.to_receivable_paise, r.journal_id
                  from refund r join revenue_transaction t using (transaction_id)
                 where r.created_at >= cast(? as timestamptz) and r.created_at < cast(? as timestamptz)""" + community + """

                union all
                select r.refund_id, r.kind || '_' || o.outcome, r.transaction_id, t.community_id, t.cashfree_order_id, o.created_at,
                       -r.amount_paise, -coalesce(r.part_gst_paise, 0), -coalesce(r.part_gateway_paise, 0),
                       -coalesce(r.part_platform_paise, 0), -coalesce(r.part_tcs_paise, 0), -coalesce(r.part_tds_paise, 0),
                       -coalesce(r.part_net_paise, 0), -(r.from_pending_paise + r.from_available_paise + r.to_receivable_paise),
                       o.journal_id
                  from refund_outcome o join refund r using (refund_id) join revenue_transaction t on t.transaction_id = r.transaction_id
                 where o.outcome in ('FAILED', 'CANCELLED')
                   and o.created_at >= cast(? as timestamptz) and o.created_at < cast(? as timestamptz)""" + community + """
                ) lines order by 6, 1, 15 limit ?""", binds.toArray())
                .map(r -> new RefundLine(r.get(0, String.class), r.get(1, String.class), r.get(2, UUID.class), r.get(3, String.class),
                        r.get(4, String.class), r.get(5, OffsetDateTime.class), r.get(6, Long.class), r.get(7, Long.class),
                        r.get(8, Long.class), r.get(9, Long.class), r.get(10, Long.class), r.get(11, Long.class), r.get(12, Long.class),
                        r.get(13, Long.class), r.get(14, Long.class)));
    }
}
