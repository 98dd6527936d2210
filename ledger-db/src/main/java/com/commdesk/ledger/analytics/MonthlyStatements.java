package com.commdesk.ledger.analytics;

import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;

/**
 * Monthly statements, per community and for the platform, read in one consistent snapshot
 * (repeatable read, read only) so every number of a statement is of the same moment of the books.
 *
 * <p>A community's balance is what it owes its members: pending + available + locked − receivable
 * over all its member accounts. Only four things change it (docs/analytics.md): payments credit the
 * net (reversals take it back), refunds and chargebacks take the members' part, payouts paid take
 * the amount and payouts reversed by a bank bring it back. Releases, locks and failed payouts move
 * money between a member's states and leave it unchanged. So {@code closing = opening + net −
 * refunds to members − payouts paid + payouts reversed}, and the closing balance of the current month
 * is the sum of today's member wallets (a test and {@code AnalyticsChecks} prove both).
 */
public final class MonthlyStatements {
    private final DSLContext dsl;

    public MonthlyStatements(DSLContext dsl) {
        this.dsl = dsl;
    }

    public record RefundLine(String refundId, String kind, UUID transactionId, String cashfreeOrderId, OffsetDateTime at,
                             long amountPaise, long gstPaise, long gatewayPaise, long platformPaise, long tcsPaise,
                             long tdsPaise, long netPaise, long membersPaise, long journalId) {}

    public record CommunityStatement(String communityId, String communityName, YearMonth month, OffsetDateTime generatedAt,
                                     long openingOwedPaise, RevenueFigures figures, PayoutAnalytics.Volume payouts,
                                     long closingOwedPaise, List<RefundLine> refunds, List<PayoutAnalytics.PayoutMovement> payoutLines,
                                     List<ShareAnalytics.RoleShare> shares) {}

    public record PlatformStatement(YearMonth month, OffsetDateTime generatedAt, List<PlatformAccounts.AccountMovement> accounts,
                                    RevenueFigures figures, PlatformAccounts.PlatformFigures platform, PayoutAnalytics.Volume payouts,
                                    List<RevenueAnalytics.CommunityLine> topCommunities) {}

    /** Empty if the community does not exist. */
    public Optional<CommunityStatement> community(String communityId, YearMonth month) {
        return snapshot(tx -> {
            String name = tx.fetchOptional("select name from community where community_id = ?", communityId)
                    .map(r -> r.get(0, String.class)).orElse(null);
            if (name == null) return Optional.empty();
            Period period = Period.of(month);
            long opening = owedBefore(tx, communityId, period);
            RevenueFigures figures = new RevenueAnalytics(tx).totals(communityId, period);
            PayoutAnalytics payouts = new PayoutAnalytics(tx);
            PayoutAnalytics.Volume volume = payouts.totals(communityId, period);
            long closing = Math.subtractExact(Math.subtractExact(Math.addExact(opening, figures.netPaise()), figures.refundMembersPaise()),
                    volume.netPaise());
            return Optional.of(new CommunityStatement(communityId, name, month, now(tx), opening, figures, volume, closing,
                    refunds(tx, communityId, period), payouts.movements(communityId, period),
                    new ShareAnalytics(tx).split(communityId, period)));
        });
    }

    public PlatformStatement platform(YearMonth month, int topCommunities) {
        return snapshot(tx -> {
            Period period = Period.of(month);
            PlatformAccounts accounts = new PlatformAccounts(tx);
            RevenueAnalytics revenue = new RevenueAnalytics(tx);
            return new PlatformStatement(month, now(tx), accounts.movements(period), revenue.totals(null, period),
                    accounts.totals(period), new PayoutAnalytics(tx).totals(null, period), revenue.topCommunities(period, topCommunities));
        });
    }

    /** What the community owed its members at the first instant of the period. */
    static long owedBefore(DSLContext tx, String communityId, Period period) {
        Object credited = tx.fetchValue("select coalesce(sum(net_paise - refund_members_paise), 0)::bigint"
                + " from analytics_revenue_delta where community_id = ? and day < ?", communityId, period.from());
        return Math.subtractExact(((Number) credited).longValue(), new PayoutAnalytics(tx).netPaidBefore(communityId, period.from()));
    }

    private static List<RefundLine> refunds(DSLContext tx, String communityId, Period period) {
        return tx.fetch("""
                select r.refund_id, r.kind, r.transaction_id, t.cashfree_order_id, r.created_at, r.amount_paise,
                       coalesce(r.part_gst_paise, 0), coalesce(r.part_gateway_paise, 0), coalesce(r.part_platform_paise, 0),
                       coalesce(r.part_tcs_paise, 0), coalesce(r.part_tds_paise, 0), coalesce(r.part_net_paise, 0),
                       r.from_pending_paise + r.from_available_paise + r.to_receivable_paise, r.journal_id
                  from refund r join revenue_transaction t using (transaction_id)
                 where t.community_id = ? and r.created_at >= cast(? as timestamptz) and r.created_at < cast(? as timestamptz)
                 order by r.created_at, r.refund_id
                """, communityId, period.startInstant().toString(), period.endInstant().toString())
                .map(r -> new RefundLine(r.get(0, String.class), r.get(1, String.class), r.get(2, UUID.class), r.get(3, String.class),
                        r.get(4, OffsetDateTime.class), r.get(5, Long.class), r.get(6, Long.class), r.get(7, Long.class),
                        r.get(8, Long.class), r.get(9, Long.class), r.get(10, Long.class), r.get(11, Long.class), r.get(12, Long.class),
                        r.get(13, Long.class)));
    }

    private static OffsetDateTime now(DSLContext tx) {
        return tx.fetchSingle("select now()").get(0, OffsetDateTime.class);
    }

    private <T> T snapshot(java.util.function.Function<DSLContext, T> read) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            tx.execute("set transaction isolation level repeatable read, read only");
            return read.apply(tx);
        });
    }
}
