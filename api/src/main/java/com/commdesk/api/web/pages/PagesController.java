package com.commdesk.api.web.pages;

import com.commdesk.api.analytics.AnalyticsController;
import com.commdesk.ledger.analytics.MemberWallets;
import com.commdesk.ledger.analytics.PayoutAnalytics;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.databind.JsonNode;

/**
 * The dashboard's pages (issue 12), rendered on the server with Thymeleaf. Every number on a page is
 * what the JSON API answered for the same question ({@link DashboardApi}); a page adds formatting
 * (rupees with Indian grouping, India time), charts and links, never data of its own.
 */
@Controller
@RequestMapping("/dashboard")
public class PagesController {
    private static final ZoneId INDIA = ZoneId.of("Asia/Kolkata");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

    private final DashboardApi api;
    private final String temporalUi;

    public PagesController(DashboardApi api, @Value("${commdesk.dashboard.temporal-ui-url:}") String temporalUi) {
        this.api = api;
        this.temporalUi = temporalUi.endsWith("/") ? temporalUi.substring(0, temporalUi.length() - 1) : temporalUi;
    }

    /** The period a page shows: preset (day, week, month) or custom from/to, as API query parameters. */
    record Selection(String preset, String month, String from, String to, String by) {
        String query() {
            return switch (preset) {
                case "day", "week", "custom" -> "from=" + from + "&to=" + to + "&by=" + by;
                default -> "month=" + month + "&by=" + by;
            };
        }
    }

    static Selection select(String period, String month, String from, String to, String by) {
        LocalDate today = LocalDate.now(INDIA);
        String p = period == null ? "month" : period;
        String b = "month".equals(by) ? "month" : "day";
        return switch (p) {
            case "day" -> new Selection("day", null, today.toString(), today.toString(), b);
            case "week" -> new Selection("week", null, today.minusDays(6).toString(), today.toString(), b);
            case "custom" -> new Selection("custom", null, from == null ? today.withDayOfMonth(1).toString() : from,
                    to == null ? today.toString() : to, b);
            default -> new Selection("month", month == null ? YearMonth.now(INDIA).toString() : month, null, null, b);
        };
    }

    @GetMapping
    public String index(Model model) {
        model.addAttribute("month", YearMonth.now(INDIA).toString());
        return "dashboard/index";
    }

    @GetMapping("/go")
    public String go(@RequestParam String community) {
        return "redirect:/dashboard/communities/" + id(community);
    }

    @GetMapping("/communities/{communityId}")
    public String community(@PathVariable String communityId, @RequestParam(required = false) String period,
                            @RequestParam(required = false) String month, @RequestParam(required = false) String from,
                            @RequestParam(required = false) String to, @RequestParam(required = false) String by, Model model) {
        String c = id(communityId);
        Selection s = select(period, month, from, to, by);
        String base = "/api/v1/analytics/communities/" + c;
        AnalyticsController.CommunityOverview o = api.get(base + "/overview?" + s.query(), AnalyticsController.CommunityOverview.class);
        model.addAttribute("o", o);
        model.addAttribute("sel", s);
        model.addAttribute("chart", BarChart.of("Gross by " + o.period().by(),
                o.series().stream().map(AnalyticsController.SeriesPoint::bucket).toList(),
                o.series().stream().map(AnalyticsController.SeriesPoint::grossPaise).toList(), "month".equals(o.period().by())));
        model.addAttribute("split", api.get(base + "/split?" + s.query().replaceAll("&by=\\w+", ""), AnalyticsController.SplitView.class));
        model.addAttribute("members", api.get(base + "/members", new ParameterizedTypeReference<List<MemberWallets.Wallet>>() {}));
        model.addAttribute("payouts", api.get(base + "/payouts?limit=20",
                new ParameterizedTypeReference<List<PayoutAnalytics.PayoutLine>>() {}));
        model.addAttribute("temporalUi", temporalUi);
        return "dashboard/community";
    }

    @GetMapping("/communities/{communityId}/members/{userId}")
    public String member(@PathVariable String communityId, @PathVariable String userId, Model model) {
        String c = id(communityId), u = id(userId);
        model.addAttribute("w", api.get("/api/v1/analytics/communities/" + c + "/members/" + u + "/wallet?limit=200",
                AnalyticsController.WalletView.class));
        model.addAttribute("payouts", api.get("/api/v1/analytics/communities/" + c + "/payouts?limit=50&userId=" + enc(u),
                new ParameterizedTypeReference<List<PayoutAnalytics.PayoutLine>>() {}));
        model.addAttribute("month", YearMonth.now(INDIA).toString());
        return "dashboard/member";
    }

    @GetMapping("/platform")
    public String platform(@RequestParam(required = false) String period, @RequestParam(required = false) String month,
                           @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                           @RequestParam(required = false) String by, Model model) {
        Selection s = select(period, month, from, to, by);
        AnalyticsController.PlatformOverview o = api.get("/api/v1/analytics/platform/overview?" + s.query(),
                AnalyticsController.PlatformOverview.class);
        model.addAttribute("o", o);
        model.addAttribute("sel", s);
        model.addAttribute("chart", BarChart.of("Platform earnings by " + o.period().by(),
                o.series().stream().map(AnalyticsController.PlatformSeriesPoint::bucket).toList(),
                o.series().stream().map(AnalyticsController.PlatformSeriesPoint::platformEarningsPaise).toList(),
                "month".equals(o.period().by())));
        return "dashboard/platform";
    }

    @GetMapping("/ops")
    public String ops(Model model) {
        model.addAttribute("parked", api.get("/api/v1/ops/payments?status=NEEDS_ATTENTION&limit=100", JsonNode.class));
        model.addAttribute("review", api.get("/api/v1/ops/payments?status=UNDER_REVIEW&limit=100", JsonNode.class));
        model.addAttribute("invariants", api.get("/api/v1/ledger/invariants", JsonNode.class));
        model.addAttribute("temporalUi", temporalUi);
        return "dashboard/ops";
    }

    @GetMapping("/finance")
    public String finance(Model model) {
        model.addAttribute("pending", api.get("/api/v1/finance/payouts/pending", JsonNode.class));
        model.addAttribute("exceptions", api.get("/api/v1/reconciliation/exceptions?status=OPEN&limit=100", JsonNode.class));
        model.addAttribute("month", YearMonth.now(INDIA).toString());
        return "dashboard/finance";
    }

    /** The API refused or failed: the page says so with the API's own status and problem detail. */
    @ExceptionHandler(DashboardApi.Refused.class)
    public String refused(DashboardApi.Refused e, Model model, jakarta.servlet.http.HttpServletResponse response) {
        response.setStatus(e.status());
        model.addAttribute("status", e.status());
        model.addAttribute("detail", e.getMessage());
        return "dashboard/error";
    }

    private static String id(String value) {
        if (!ID.matcher(value).matches()) throw new DashboardApi.Refused(400, "not a valid id");
        return value;
    }

    private static String enc(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8);
    }
}
