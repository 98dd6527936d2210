package com.commdesk.ledger.analytics;

import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
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

    public record CommunityStatement(String communityId, String communityName, YearMonth month, OffsetDateTime generatedAt,
                                     long openingOwedPaise, RevenueFigures figures, PayoutAnalytics.Volume payouts,
                                     long closingOwedPaise, List<Registers.RefundLine> refunds, List<PayoutAnalytics.PayoutMovement> payoutLines,
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
                    new Registers(tx).refunds(communityId, period, 100_000), payouts.movements(communityId, period),
                    new ShareAnalytics(tx).split(communityId, period)));
        });
    }

    public PlatformStatement platform(YearMonth month, int topCommunities) {
        return snapshot(tx -> {
            Period period = Period.of(month);
            PlatformAccounts accounts = new PlatformAccounts(tx);
            RevenueAnalytics.Overview ov = new RevenueAnalytics(tx).overview(null, period, Granularity.MONTH, topCommunities);
            return new PlatformStatement(month, now(tx), accounts.movements(period), ov.totals(),
                    accounts.totals(period), new PayoutAnalytics(tx).totals(null, period), ov.topCommunities());
        });
    }

    /** What the community owed its members at the first instant of the period. */
    static long owedBefore(DSLContext tx, String communityId, Period period) {
        Object credited = tx.fetchValue("select coalesce(sum(net_paise - refund_members_paise), 0)::bigint"
                + " from analytics_revenue_delta where community_id = ? and day < ?", communityId, period.from());
        return Math.subtractExact(((Number) credited).longValue(), new PayoutAnalytics(tx).netPaidBefore(communityId, period.from()));
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
