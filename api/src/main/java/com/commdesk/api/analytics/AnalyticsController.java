package com.commdesk.api.analytics;

import static com.commdesk.api.analytics.PeriodParams.limit;

import com.commdesk.api.web.ApiProblem;
import com.commdesk.api.web.Caller;
import com.commdesk.api.web.Role;
import com.commdesk.ledger.WalletStatements;
import com.commdesk.ledger.analytics.Granularity;
import com.commdesk.ledger.analytics.MemberWallets;
import com.commdesk.ledger.analytics.PayoutAnalytics;
import com.commdesk.ledger.analytics.Period;
import com.commdesk.ledger.analytics.PlatformAccounts;
import com.commdesk.ledger.analytics.Registers;
import com.commdesk.ledger.analytics.RevenueAnalytics;
import com.commdesk.ledger.analytics.RevenueFigures;
import com.commdesk.ledger.analytics.ShareAnalytics;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The figures behind the dashboard (issue 12), per community and platform-wide, by day or month:
 * JSON, money in paise, every figure with the link to the rows it sums. Periods are India-time days
 * ({@code from}/{@code to}) or a month; the default is the current month. docs/analytics.md.
 */
@RestController
@RequestMapping(path = "/api/v1/analytics", produces = MediaType.APPLICATION_JSON_VALUE)
public class AnalyticsController {
    private final RevenueAnalytics revenue;
    private final PlatformAccounts accounts;
    private final PayoutAnalytics payouts;
    private final ShareAnalytics shares;
    private final MemberWallets wallets;
    private final WalletStatements statements;
    private final Registers registers;
    private final AnalyticsAccess access;

    public AnalyticsController(RevenueAnalytics revenue, PlatformAccounts accounts, PayoutAnalytics payouts, ShareAnalytics shares,
                               MemberWallets wallets, WalletStatements statements, Registers registers, AnalyticsAccess access) {
        this.revenue = revenue;
        this.accounts = accounts;
        this.payouts = payouts;
        this.shares = shares;
        this.wallets = wallets;
        this.statements = statements;
        this.registers = registers;
        this.access = access;
    }

    /** Who the caller is, for the pages' landing: its roles, an owner's communities, a member's wallets. */
    public record Me(String subject, List<String> roles, List<String> communities, List<MemberWallets.Wallet> wallets) {}

    @GetMapping("/me")
    public Me me() {
        Caller caller = Caller.current();
        List<String> roles = caller.roles().stream().map(Enum::name).sorted().toList();
        List<String> communities = caller.has(Role.COMMUNITY_OWNER) ? caller.communities().stream().sorted().toList()
                : List.of();
        // A member's sub is its member id: its wallets are its own (any community it belongs to).
        List<MemberWallets.Wallet> own = caller.has(Role.MEMBER) ? wallets.ofUser(caller.subject(), 100) : List.of();
        return new Me(caller.subject(), roles, communities, own);
    }

    public record PeriodView(LocalDate from, LocalDate to, String by) {}

    public record SeriesPoint(LocalDate bucket, long grossPaise, long gstPaise, long cashfreeFeePaise, long cashfreeFeeGstPaise,
                              long platformFeePaise, long platformFeeGstPaise, long tcsPaise, long tdsPaise, long netPaise,
                              long refundsPaise, long payoutsPaise, long payments) {}

    public record SourceView(String sourceType, long payments, long grossPaise, long platformFeePaise, long netPaise) {}

    public record CommunityOverview(String communityId, PeriodView period, Map<String, Figures.Figure> figures, Figures.Counts counts,
                                    List<SeriesPoint> series, List<SourceView> bySource, Map<String, String> links) {}

    @GetMapping("/communities/{communityId}/overview")
    public CommunityOverview community(@PathVariable String communityId, @RequestParam(required = false) String from,
                                       @RequestParam(required = false) String to, @RequestParam(required = false) String month,
                                       @RequestParam(defaultValue = "day") String by) {
        String c = access.community(communityId);
        Period period = PeriodParams.period(from, to, month);
        Granularity g = PeriodParams.by(by);
        // A community's month is a few hundred rollup rows: three small indexed queries beat one grouping-sets pass.
        RevenueFigures f = revenue.totals(c, period);
        PayoutAnalytics.Volume v = payouts.totals(c, period);
        return new CommunityOverview(c, view(period, g), figures(c, period, f, v), Figures.Counts.of(f, v),
                series(revenue.series(c, period, g), payouts.series(c, period, g)), bySource(revenue.bySource(c, period)),
                links(c, period));
    }

    public record TopCommunity(int rank, String communityId, String name, long payments, long grossPaise, long platformFeePaise,
                               long netPaise, String href) {}

    public record PlatformSeriesPoint(LocalDate bucket, long grossPaise, long platformEarningsPaise, long gatewayChargesPaise,
                                      long gstCollectedPaise, long payoutVolumePaise, long payments) {}

    public record PlatformOverview(PeriodView period, Map<String, Figures.Figure> figures, Map<String, Figures.Figure> platform,
                                   Figures.Counts counts, List<PlatformSeriesPoint> series, List<SourceView> bySource,
                                   List<TopCommunity> topCommunities, Map<String, String> links) {}

    @GetMapping("/platform/overview")
    public PlatformOverview platform(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
                                     @RequestParam(required = false) String month, @RequestParam(defaultValue = "day") String by,
                                     @RequestParam(defaultValue = "10") int top) {
        access.platform();
        Period period = PeriodParams.period(from, to, month);
        Granularity g = PeriodParams.by(by);
        RevenueAnalytics.Overview ov = revenue.overview(null, period, g, limit(top, 100));
        RevenueFigures f = ov.totals();
        PayoutAnalytics.Volume v = payouts.totals(null, period);
        Map<String, Figures.Figure> figures = figures(null, period, f, v);
        Map<String, String> links = links(null, period);
        List<RevenueAnalytics.Point> rs = ov.series();
        List<PlatformAccounts.Point> ps = accounts.series(period, g);
        List<PlatformSeriesPoint> series = new ArrayList<>();
        for (int i = 0; i < rs.size(); i++) {
            RevenueFigures r = rs.get(i).figures();
            PlatformAccounts.PlatformFigures p = ps.get(i).figures();
            series.add(new PlatformSeriesPoint(rs.get(i).bucket(), r.grossPaise(), p.platformFeeIncomePaise(), p.gatewayChargesPaise(),
                    p.gstCollectedPaise(), p.payoutVolumePaise(), r.payments()));
        }
        return new PlatformOverview(view(period, g), figures, Figures.platform(accounts.totals(period), links.get("accounts")),
                Figures.Counts.of(f, v), series, bySource(ov.bySource()), ranked(ov.topCommunities(), period), links);
    }

    @GetMapping("/platform/top-communities")
    public List<TopCommunity> topCommunities(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
                                             @RequestParam(required = false) String month, @RequestParam(defaultValue = "10") int limit) {
        access.platform();
        return top(PeriodParams.period(from, to, month), limit(limit, 1000));
    }

    public record SplitView(String communityId, PeriodView period, long totalPaise, List<ShareAnalytics.RoleShare> roles, String href) {}

    @GetMapping("/communities/{communityId}/split")
    public SplitView split(@PathVariable String communityId, @RequestParam(required = false) String from,
                           @RequestParam(required = false) String to, @RequestParam(required = false) String month) {
        String c = access.community(communityId);
        Period period = PeriodParams.period(from, to, month);
        List<ShareAnalytics.RoleShare> roles = shares.split(c, period);
        return new SplitView(c, view(period, Granularity.DAY), roles.stream().mapToLong(ShareAnalytics.RoleShare::amountPaise).sum(),
                roles, sources(c, period).transactions());
    }

    @GetMapping("/communities/{communityId}/members")
    public List<MemberWallets.Wallet> members(@PathVariable String communityId) {
        return wallets.community(access.community(communityId));
    }

    public record WalletView(String communityId, String userId, List<MemberWallets.Wallet> wallets, List<MemberWallets.Hold> openHolds,
                             WalletStatements.Page history) {}

    @GetMapping("/communities/{communityId}/members/{userId}/wallet")
    public WalletView wallet(@PathVariable String communityId, @PathVariable String userId,
                             @RequestParam(defaultValue = "0") long after, @RequestParam(defaultValue = "100") int limit) {
        access.member(communityId, userId);
        if (after < 0) throw ApiProblem.invalid("after", "after must be a posting id >= 0");
        return new WalletView(communityId, userId, wallets.member(communityId, userId), wallets.openHolds(communityId, userId, 200),
                statements.member(communityId, userId, after, limit(limit, WalletStatements.MAX_PAGE)));
    }

    @GetMapping("/communities/{communityId}/payouts")
    public List<PayoutAnalytics.PayoutLine> payoutList(@PathVariable String communityId, @RequestParam(required = false) String userId,
                                                       @RequestParam(defaultValue = "100") int limit) {
        // A member sees its own payouts (userId = itself); the whole list is its community's owner's or finance's.
        if (userId != null) access.member(communityId, userId);
        else access.community(communityId);
        return payouts.payouts(communityId, userId, limit(limit, PayoutAnalytics.MAX_PAGE));
    }

    @GetMapping("/communities/{communityId}/transactions")
    public Registers.Page communityTransactions(@PathVariable String communityId, @RequestParam(required = false) String from,
                                                @RequestParam(required = false) String to, @RequestParam(required = false) String month,
                                                @RequestParam(required = false) String after, @RequestParam(defaultValue = "100") int limit) {
        String c = access.community(communityId);
        return register(c, PeriodParams.period(from, to, month), after, limit);
    }

    @GetMapping("/platform/transactions")
    public Registers.Page platformTransactions(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
                                               @RequestParam(required = false) String month, @RequestParam(required = false) String after,
                                               @RequestParam(defaultValue = "100") int limit) {
        access.platform();
        return register(null, PeriodParams.period(from, to, month), after, limit);
    }

    @GetMapping("/communities/{communityId}/refunds")
    public List<Registers.RefundLine> communityRefunds(@PathVariable String communityId, @RequestParam(required = false) String from,
                                                       @RequestParam(required = false) String to, @RequestParam(required = false) String month) {
        String c = access.community(communityId);
        return registers.refunds(c, PeriodParams.period(from, to, month), 10_000);
    }

    @GetMapping("/platform/refunds")
    public List<Registers.RefundLine> platformRefunds(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
                                                      @RequestParam(required = false) String month) {
        access.platform();
        return registers.refunds(null, PeriodParams.period(from, to, month), 10_000);
    }

    private Registers.Page register(String communityId, Period period, String after, int limit) {
        try {
            return registers.transactions(communityId, period, after, limit(limit, Registers.MAX_PAGE));
        } catch (IllegalArgumentException e) {
            throw ApiProblem.invalid("after", e.getMessage());
        }
    }

    /** Revenue and payout figures, each with the link to the rows it sums. */
    private static Map<String, Figures.Figure> figures(String communityId, Period period, RevenueFigures f, PayoutAnalytics.Volume v) {
        Figures.Sources sources = sources(communityId, period);
        Map<String, Figures.Figure> figures = Figures.revenue(f, sources);
        figures.putAll(Figures.payouts(v, sources.payouts()));
        return figures;
    }

    private List<TopCommunity> top(Period period, int limit) {
        return ranked(revenue.topCommunities(period, limit), period);
    }

    private static List<TopCommunity> ranked(List<RevenueAnalytics.CommunityLine> lines, Period period) {
        List<TopCommunity> out = new ArrayList<>();
        int rank = 1;
        for (RevenueAnalytics.CommunityLine l : lines) {
            out.add(new TopCommunity(rank++, l.communityId(), l.name(), l.figures().payments(), l.figures().grossPaise(),
                    l.figures().platformFeePaise(), l.figures().netPaise(), "/api/v1/analytics/communities/" + l.communityId()
                    + "/overview?" + range(period)));
        }
        return out;
    }

    static PeriodView view(Period p, Granularity g) {
        return new PeriodView(p.from(), p.to(), g.name().toLowerCase(java.util.Locale.ROOT));
    }

    static String range(Period p) {
        return "from=" + p.from() + "&to=" + p.to();
    }

    static Figures.Sources sources(String c, Period p) {
        String base = c == null ? "/api/v1/analytics/platform" : "/api/v1/analytics/communities/" + c;
        return new Figures.Sources(base + "/transactions?" + range(p), base + "/refunds?" + range(p),
                c == null ? "/api/v1/statements/platform/" + java.time.YearMonth.from(p.from()) : base + "/payouts");
    }

    /** Where a period's numbers are reported: the monthly statements (CSV, PDF) when it is a month, the registers always. */
    static Map<String, String> links(String c, Period p) {
        Map<String, String> links = new LinkedHashMap<>();
        Figures.Sources s = sources(c, p);
        links.put("transactions", s.transactions());
        links.put("refunds", s.refunds());
        p.asMonth().ifPresent(m -> {
            String statement = c == null ? "/api/v1/statements/platform/" + m : "/api/v1/statements/communities/" + c + "/" + m;
            links.put("statement", statement);
            links.put("statementCsv", statement + "?format=csv");
            links.put("statementPdf", statement + "?format=pdf");
            if (c == null) {
                links.put("gstReport", "/api/v1/reports/gst/" + m);
                links.put("withholdingReport", "/api/v1/reports/withholding/" + m);
            }
        });
        if (c == null) links.put("accounts", "/api/v1/statements/platform/" + java.time.YearMonth.from(p.from()));
        else {
            links.put("split", "/api/v1/analytics/communities/" + c + "/split?" + range(p));
            links.put("payouts", "/api/v1/analytics/communities/" + c + "/payouts");
            links.put("members", "/api/v1/analytics/communities/" + c + "/members");
        }
        return links;
    }

    private static List<SeriesPoint> series(List<RevenueAnalytics.Point> rs, List<PayoutAnalytics.Point> ps) {
        List<SeriesPoint> out = new ArrayList<>();
        for (int i = 0; i < rs.size(); i++) {
            RevenueFigures f = rs.get(i).figures();
            out.add(new SeriesPoint(rs.get(i).bucket(), f.grossPaise(), f.gstPaise(), f.gatewayFeePaise(), f.gatewayGstPaise(),
                    f.platformFeePaise(), f.platformGstPaise(), f.tcsPaise(), f.tdsPaise(), f.netPaise(), f.refundedPaise(),
                    ps.get(i).volume().netPaise(), f.payments()));
        }
        return out;
    }

    private static List<SourceView> bySource(List<RevenueAnalytics.SourceLine> lines) {
        return lines.stream().map(l -> new SourceView(l.sourceType(), l.figures().payments(), l.figures().grossPaise(),
                l.figures().platformFeePaise(), l.figures().netPaise())).toList();
    }

    static ApiProblem notFound(String what) {
        return new ApiProblem(HttpStatus.NOT_FOUND, "Not found", what, null);
    }
}
