package com.commdesk.ledger.analytics;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;

/**
 * The platform's own accounts (GST payables, fee income, Cashfree clearing, TCS/TDS, payout balance,
 * reconciliation) per day, from the rollup {@code analytics_account_delta} (changelog 070): the
 * platform's earnings, gateway charges, GST collected and payout volume, and the opening and closing
 * balances of a platform statement. Amounts are paise, balances debit-positive as in the postings.
 */
public final class PlatformAccounts {
    private final DSLContext dsl;

    public PlatformAccounts(DSLContext dsl) {
        this.dsl = dsl;
    }

    /**
     * What the platform earned, paid and collected. Each is a movement of one kind of account:
     * credits − debits for income and liabilities, debits − credits for expenses and assets.
     */
    public record PlatformFigures(long platformFeeIncomePaise, long platformGstPaise, long gatewayFeeRecoveredPaise,
                                  long gatewayChargesPaise, long gatewayGstInputCreditPaise, long gstOnSalesPaise,
                                  long tcsPaise, long tdsPaise, long payoutVolumePaise, long reconDifferencesPaise) {
        public static final PlatformFigures ZERO = new PlatformFigures(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

        /** GST the platform owes the government: on the sales it collected for, and on its own fee. */
        public long gstCollectedPaise() {
            return Math.addExact(gstOnSalesPaise, platformGstPaise);
        }

        static PlatformFigures of(Map<String, long[]> byPurpose) {
            return new PlatformFigures(credit(byPurpose, "PLATFORM_FEE_INCOME"), credit(byPurpose, "PLATFORM_GST_PAYABLE"),
                    credit(byPurpose, "GATEWAY_FEE_RECOVERY"), -credit(byPurpose, "GATEWAY_FEE_EXPENSE"),
                    -credit(byPurpose, "GST_INPUT_CREDIT"), credit(byPurpose, "GST_OUTPUT_PAYABLE"),
                    credit(byPurpose, "TCS_PAYABLE"), credit(byPurpose, "TDS_PAYABLE"),
                    credit(byPurpose, "CASHFREE_PAYOUT_BALANCE"), -credit(byPurpose, "RECON_DIFFERENCES"));
        }

        /** credits − debits of one purpose. */
        private static long credit(Map<String, long[]> byPurpose, String purpose) {
            long[] dc = byPurpose.get(purpose);
            return dc == null ? 0 : Math.subtractExact(dc[1], dc[0]);
        }
    }

    public record Point(LocalDate bucket, PlatformFigures figures) {}

    public PlatformFigures totals(Period period) {
        Map<String, long[]> byPurpose = new HashMap<>();
        dsl.fetch("""
                select a.purpose, coalesce(sum(d.debit_paise), 0)::bigint, coalesce(sum(d.credit_paise), 0)::bigint
                  from analytics_account_delta d join ledger_account a using (account_id)
                 where d.day between ? and ? group by a.purpose
                """, period.from(), period.to())
                .forEach(r -> byPurpose.put(r.get(0, String.class), new long[] {r.get(1, Long.class), r.get(2, Long.class)}));
        return PlatformFigures.of(byPurpose);
    }

    public List<Point> series(Period period, Granularity granularity) {
        Map<LocalDate, Map<String, long[]>> found = new HashMap<>();
        dsl.fetch("select " + granularity.bucket("d.day") + ", a.purpose, coalesce(sum(d.debit_paise), 0)::bigint,"
                        + " coalesce(sum(d.credit_paise), 0)::bigint from analytics_account_delta d join ledger_account a using (account_id)"
                        + " where d.day between ? and ? group by 1, 2", period.from(), period.to())
                .forEach(r -> found.computeIfAbsent(r.get(0, LocalDate.class), k -> new HashMap<>())
                        .put(r.get(1, String.class), new long[] {r.get(2, Long.class), r.get(3, Long.class)}));
        List<Point> out = new ArrayList<>();
        for (LocalDate b : RevenueAnalytics.buckets(period, granularity)) {
            out.add(new Point(b, PlatformFigures.of(found.getOrDefault(b, Map.of()))));
        }
        return out;
    }

    /** One platform account over a period: its balance before, its debits and credits in, its balance after. */
    public record AccountMovement(String code, String kind, String purpose, long openingPaise, long debitsPaise,
                                  long creditsPaise, long closingPaise) {}

    /** Every platform account with its opening balance, movements and closing balance, by code. */
    public List<AccountMovement> movements(Period period) {
        Map<String, AccountMovement> out = new LinkedHashMap<>();
        dsl.fetch("""
                select a.code, a.kind, a.purpose,
                       coalesce(sum(d.debit_paise - d.credit_paise) filter (where d.day < ?), 0)::bigint,
                       coalesce(sum(d.debit_paise) filter (where d.day between ? and ?), 0)::bigint,
                       coalesce(sum(d.credit_paise) filter (where d.day between ? and ?), 0)::bigint
                  from ledger_account a
                  join analytics_platform_account p using (account_id)
                  left join analytics_account_delta d on d.account_id = a.account_id and d.day <= ?
                 group by a.code, a.kind, a.purpose
                 order by a.code
                """, period.from(), period.from(), period.to(), period.from(), period.to(), period.to())
                .forEach(r -> {
                    long opening = r.get(3, Long.class), debits = r.get(4, Long.class), credits = r.get(5, Long.class);
                    String code = r.get(0, String.class);
                    out.put(code, new AccountMovement(code, r.get(1, String.class), r.get(2, String.class), opening, debits, credits,
                            Math.subtractExact(Math.addExact(opening, debits), credits)));
                });
        return List.copyOf(out.values());
    }
}
