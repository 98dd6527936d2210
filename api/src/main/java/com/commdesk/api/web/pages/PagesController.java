package com.commdesk.api.web.pages;

import com.commdesk.api.analytics.AnalyticsController;
import com.commdesk.api.web.Caller;
import com.commdesk.api.web.Role;
import com.commdesk.ledger.analytics.MemberWallets;
import com.commdesk.ledger.analytics.PayoutAnalytics;
import com.commdesk.workflows.refund.RefundWorkflow;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.databind.JsonNode;

/**
 * The dashboard's pages (issue 12), rendered on the server with Thymeleaf. Every number on a page is
 * what the JSON API answered for the same question, asked with the viewer's own access token
 * ({@link DashboardApi}); a page adds formatting (rupees with Indian grouping, India time), charts and
 * links, never data of its own. Each role lands on its own page; the forms that act are {@link PageActions}.
 */
@Controller
@RequestMapping("/dashboard")
public class PagesController extends DashboardPage {
    private static final ZoneId INDIA = ZoneId.of("Asia/Kolkata");

    private final String temporalUi;

    public PagesController(DashboardApi api, ViewerCredentials credentials,
                           @Value("${commdesk.dashboard.temporal-ui-url:}") String temporalUi) {
        super(api, credentials);
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

    /**
     * Each role lands on its own page: the platform admin on platform analytics, finance on approvals,
     * ops on parked payments and waiting refunds, an owner on its community's overview, a member on its wallet.
     */
    @GetMapping
    public String landing(Model model) {
        Caller v = credentials.viewer();
        if (v.has(Role.PLATFORM_ADMIN)) return "redirect:/dashboard/platform";
        if (v.has(Role.FINANCE_APPROVER) || v.has(Role.FINANCE_VIEWER)) return "redirect:/dashboard/finance";
        if (v.has(Role.OPS)) return "redirect:/dashboard/ops";
        if (v.has(Role.COMMUNITY_OWNER) && v.communities().size() == 1) {
            return "redirect:/dashboard/communities/" + id(v.communities().iterator().next());
        }
        if (v.has(Role.MEMBER)) return me(model); // straight to its wallet: one redirect fewer after the login's five
        return communities(model);
    }

    /** A community to open: an owner's own, or any by id for the platform's roles. */
    @GetMapping("/communities")
    public String communities(Model model) {
        model.addAttribute("month", YearMonth.now(INDIA).toString());
        return "dashboard/index";
    }

    @GetMapping("/go")
    public String go(@RequestParam String community) {
        return "redirect:/dashboard/communities/" + id(community);
    }

    /** A member's own page: its wallet, or the list of its wallets when it belongs to several communities. */
    @GetMapping("/me")
    public String me(Model model) {
        AnalyticsController.Me me = api.get("/api/v1/analytics/me", AnalyticsController.Me.class);
        List<String> communities = me.wallets().stream().map(MemberWallets.Wallet::communityId).distinct().toList();
        if (communities.size() == 1) return "redirect:/dashboard/communities/" + id(communities.get(0)) + "/members/" + id(me.subject());
        model.addAttribute("me", me);
        model.addAttribute("notices", api.get("/api/v1/me/notices?limit=20", JsonNode.class));
        return "dashboard/me";
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
        model.addAttribute("distributions", api.get("/api/v1/wallets/" + c + "/members/" + u + "/distributions?limit=100", JsonNode.class));
        // The member's own notices (its payout account set or changed, and by whom), on its own page only: the API gives
        // a caller its own and no one else's.
        Viewer viewer = viewer();
        // Exactly the token's subject, as the API compares it (not Viewer.isMe, which ignores case: review s15).
        model.addAttribute("notices", viewer != null && viewer.subject().equals(u) ? api.get("/api/v1/me/notices?limit=20", JsonNode.class) : null);
        model.addAttribute("month", YearMonth.now(INDIA).toString());
        model.addAttribute("temporalUi", temporalUi);
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

    /** Payments an ops list shows at a time, oldest first. */
    static final int OPS_PAGE = 100;

    /** Where one of the ops page's lists continues, as a query value that needs no escaping. */
    sealed interface Cursor permits OpsCursor, RefundCursor {
        String value();
    }

    /**
     * Where an ops list continues: after the row (updatedAt, paymentId) it last showed. Both are kept, because a payment's
     * updatedAt changes with its status and a cursor resolved by id alone would then skip the rows between (review s17).
     * Anything else (an id or time the API would not take: PaymentsController.KEY, OpsController.cursorTime) is no cursor:
     * the list starts from its oldest.
     */
    record OpsCursor(String paymentId, java.time.Instant updatedAt) implements Cursor {
        static OpsCursor of(String value) {
            if (value == null) return null;
            int at = value.lastIndexOf('@');
            return at < 1 ? null : of(value.substring(0, at), value.substring(at + 1));
        }

        static OpsCursor of(String paymentId, String time) {
            var t = com.commdesk.api.ops.OpsController.cursorTime(time);
            return t == null || !com.commdesk.api.payment.PaymentsController.KEY.matcher(paymentId).matches() ? null
                    : new OpsCursor(paymentId, t.toInstant());
        }

        /** As a query value: {@code <payment id>@<instant>}, characters a query carries as they are. */
        @Override
        public String value() {
            return paymentId + "@" + updatedAt;
        }
    }

    /**
     * Where the waiting refunds continue: after the refund last shown. Its id is enough, since a refund's reservation time
     * (the list's order) never changes. Anything but a refund id (RefundsController.KEY) is no cursor.
     */
    record RefundCursor(String refundId) implements Cursor {
        static RefundCursor of(String value) {
            return value == null || !com.commdesk.api.refund.RefundsController.KEY.matcher(value).matches() ? null : new RefundCursor(value);
        }

        @Override
        public String value() {
            return refundId;
        }
    }

    /**
     * One page of an ops list: at most {@link #OPS_PAGE} rows after its cursor (oldest first), the link to the next page
     * when more are waiting, and the link back to the oldest (the other lists stay where they are). The page used to show
     * the oldest 100 and say nothing of the rest (s15; the refunds until s18).
     */
    record OpsList(JsonNode rows, String after, String next, String first) {}

    static OpsList opsList(DashboardApi api, String status, String list, java.util.Map<String, Cursor> cursors) {
        OpsCursor after = cursors.get(list) instanceof OpsCursor c ? c : null;
        // The id and instant go into the path as they are (their characters need no escaping; an escaped one would be
        // escaped again by the client and name no payment).
        JsonNode answer = api.get("/api/v1/ops/payments?status=" + status + "&limit=" + (OPS_PAGE + 1)
                + (after == null ? "" : "&after=" + after.paymentId() + "&afterUpdatedAt=" + after.updatedAt()), JsonNode.class);
        return page(answer, after == null ? null : after.paymentId(), last -> OpsCursor.of(last.path("paymentId").asText(),
                last.path("updatedAt").asText()), cursors, list);
    }

    /**
     * The refunds reserved in the books whose outcome is not booked yet, a page of them (GET /api/v1/ops/refunds, oldest
     * first). A refund cursor the API refuses (400: on no refund) is removed from {@code cursors}, a mutable map.
     */
    static OpsList refundList(DashboardApi api, java.util.Map<String, Cursor> cursors) {
        RefundCursor after = cursors.get(REFUNDS_AFTER) instanceof RefundCursor c ? c : null;
        String ask = "/api/v1/ops/refunds?olderThanMinutes=0&limit=" + (OPS_PAGE + 1);
        JsonNode answer;
        try {
            answer = api.get(ask + (after == null ? "" : "&after=" + after.refundId()), JsonNode.class);
        } catch (DashboardApi.Refused e) {
            // a well-formed cursor on no refund (a link edited by hand): the list from its oldest, not an error page
            if (after == null || e.status() != 400) throw e;
            // the caller's map, so the lists built after this one link without the dead cursor
            after = null;
            cursors.put(REFUNDS_AFTER, null);
            answer = api.get(ask, JsonNode.class);
        }
        return page(answer, after == null ? null : after.refundId(), last -> RefundCursor.of(last.path("refundId").asText()), cursors,
                REFUNDS_AFTER);
    }

    static final String REFUNDS_AFTER = "refundsAfter";

    private static OpsList page(JsonNode answer, String after, java.util.function.Function<JsonNode, Cursor> cursorOf,
                                java.util.Map<String, Cursor> cursors, String list) {
        String first = opsLink(cursors, list, null);
        if (answer.size() <= OPS_PAGE) return new OpsList(answer, after, null, first);
        var rows = tools.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < OPS_PAGE; i++) rows.add(answer.get(i));
        Cursor next = cursorOf.apply(rows.get(OPS_PAGE - 1));
        // A last row whose id or time is not what a cursor takes (never, from this API) gets no link rather than a broken page.
        return new OpsList(rows, after, next == null ? null : opsLink(cursors, list, next), first);
    }

    private static String opsLink(java.util.Map<String, Cursor> cursors, String list, Cursor cursor) {
        var link = new StringBuilder("/dashboard/ops");
        var all = new java.util.LinkedHashMap<>(cursors);
        all.put(list, cursor);
        all.forEach((k, v) -> {
            if (v != null) link.append(link.indexOf("?") < 0 ? '?' : '&').append(k).append('=').append(v.value());
        });
        return link.toString();
    }

    @GetMapping("/ops")
    public String ops(Model model, @RequestParam(required = false) String parkedAfter,
                      @RequestParam(required = false) String reviewAfter, @RequestParam(required = false) String awaitingAfter,
                      @RequestParam(required = false) String refundsAfter) {
        var cursors = new java.util.LinkedHashMap<String, Cursor>();
        cursors.put("parkedAfter", OpsCursor.of(parkedAfter));
        cursors.put("reviewAfter", OpsCursor.of(reviewAfter));
        cursors.put("awaitingAfter", OpsCursor.of(awaitingAfter));
        cursors.put(REFUNDS_AFTER, RefundCursor.of(refundsAfter));
        // every refund whose outcome is not booked yet (money reserved), oldest first, with its workflow's stage if it
        // answered; first, since a dead refund cursor is dropped from the map the payment lists' links are built from
        OpsList refunds = refundList(api, cursors);
        OpsList parked = opsList(api, "NEEDS_ATTENTION", "parkedAfter", cursors);
        OpsList review = opsList(api, "UNDER_REVIEW", "reviewAfter", cursors);
        OpsList awaiting = opsList(api, "AWAITING_PAYMENT", "awaitingAfter", cursors);
        model.addAttribute("parked", parked.rows());
        model.addAttribute("review", review.rows());
        model.addAttribute("awaiting", awaiting.rows());
        model.addAttribute("refunds", refunds.rows());
        model.addAttribute("pages", java.util.Map.of("parked", parked, "review", review, "awaiting", awaiting, "refunds", refunds));
        model.addAttribute("refundWorkflowPrefix", RefundWorkflow.workflowId(""));
        model.addAttribute("invariants", api.get("/api/v1/ledger/invariants", JsonNode.class));
        model.addAttribute("temporalUi", temporalUi);
        return "dashboard/ops";
    }

    @GetMapping("/finance")
    public String finance(Model model) {
        model.addAttribute("pending", api.get("/api/v1/finance/payouts/pending", JsonNode.class));
        model.addAttribute("review", api.get("/api/v1/finance/distributions/review?limit=200", JsonNode.class));
        model.addAttribute("attention", api.get("/api/v1/finance/payouts/attention", JsonNode.class));
        model.addAttribute("refunds", api.get("/api/v1/finance/refunds/pending", JsonNode.class));
        model.addAttribute("exceptions", api.get("/api/v1/reconciliation/exceptions?status=OPEN&limit=100", JsonNode.class));
        model.addAttribute("month", YearMonth.now(INDIA).toString());
        model.addAttribute("temporalUi", temporalUi);
        return "dashboard/finance";
    }

    /** One payout as finance, its owner or its member sees it: status, bank reference, who asked and who decided, its events. */
    @GetMapping("/payouts/{payoutId}")
    public String payout(@PathVariable String payoutId, Model model) {
        model.addAttribute("p", api.get("/api/v1/finance/payouts/" + id(payoutId), JsonNode.class));
        model.addAttribute("temporalUi", temporalUi);
        return "dashboard/payout";
    }

    /** After logout (or a failed login): public, says so, and offers to log in again. */
    @GetMapping("/signed-out")
    public String signedOut(@RequestParam(required = false) String error, Model model) {
        model.addAttribute("error", error != null);
        return "dashboard/signed-out";
    }

    private static String enc(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8);
    }
}
