package com.commdesk.api.web.pages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * s17 (left undone in s15): the ops page showed the oldest 100 parked, flagged and unpaid payments and said nothing of the
 * rest, so a payment past the hundredth was never seen there. It now asks for one more than a page, shows a page, and links
 * to the next one, after the last row's (updatedAt, paymentId) as shown, keeping the other lists where they are.
 */
class OpsListTest {
    private static ArrayNode rows(int n) {
        ArrayNode rows = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < n; i++) {
            rows.addObject().put("paymentId", String.format("cf-ord:%03d", i))
                    .put("updatedAt", "2026-12-04T09:30:00." + String.format("%06d", i) + "+05:30");
        }
        return rows;
    }

    private static Map<String, PagesController.Cursor> cursors(String parked, String review) {
        var cursors = new LinkedHashMap<String, PagesController.Cursor>();
        cursors.put("parkedAfter", PagesController.OpsCursor.of(parked));
        cursors.put("reviewAfter", PagesController.OpsCursor.of(review));
        cursors.put("awaitingAfter", null);
        cursors.put(PagesController.REFUNDS_AFTER, null);
        return cursors;
    }

    @Test
    void morePaymentsThanAPageShowAPageAndLinkToTheNextAfterTheLastRowAsShown() {
        DashboardApi api = mock(DashboardApi.class);
        when(api.get(eq("/api/v1/ops/payments?status=NEEDS_ATTENTION&limit=101"), eq(JsonNode.class))).thenReturn(rows(101));

        PagesController.OpsList page = PagesController.opsList(api, "NEEDS_ATTENTION", "parkedAfter",
                cursors(null, "r-7@2026-12-01T00:00:00Z"));

        assertThat(page.rows().size()).isEqualTo(100);
        assertThat(page.rows().get(99).path("paymentId").asText()).isEqualTo("cf-ord:099");
        assertThat(page.after()).isNull();
        assertThat(page.next()).isEqualTo("/dashboard/ops?parkedAfter=cf-ord:099@2026-12-04T04:00:00.000099Z"
                + "&reviewAfter=r-7@2026-12-01T00:00:00Z");
        assertThat(page.first()).isEqualTo("/dashboard/ops?reviewAfter=r-7@2026-12-01T00:00:00Z");
    }

    @Test
    void aLaterPageAsksTheApiAfterTheRowAsShownAndTheLastPageHasNoLink() {
        DashboardApi api = mock(DashboardApi.class);
        // The id goes as it is (a ':' escaped here would be escaped again by the client and name no payment).
        when(api.get(eq("/api/v1/ops/payments?status=NEEDS_ATTENTION&limit=101&after=cf-ord:099"
                + "&afterUpdatedAt=2026-12-04T04:00:00.000099Z"), eq(JsonNode.class))).thenReturn(rows(100));

        PagesController.OpsList page = PagesController.opsList(api, "NEEDS_ATTENTION", "parkedAfter",
                cursors("cf-ord:099@2026-12-04T04:00:00.000099Z", null));

        assertThat(page.rows().size()).isEqualTo(100);
        assertThat(page.after()).isEqualTo("cf-ord:099");
        assertThat(page.next()).as("exactly a page: nothing more").isNull();
        assertThat(page.first()).isEqualTo("/dashboard/ops");
    }

    @Test
    void aCursorThatIsNotOneIsNone() {
        for (String bad : new String[] {"p-1", "p 1@2026-12-04T04:00:00Z", "p-1@yesterday", "@2026-12-04T04:00:00Z",
                "p-1&status=COMPLETED@2026-12-04T04:00:00Z", "<script>@2026-12-04T04:00:00Z", "p-1@+10000-01-01T00:00:00Z",
                "p-1@1900-01-01T00:00:00Z"}) {
            assertThat(PagesController.OpsCursor.of(bad)).as(bad).isNull();
        }
        assertThat(PagesController.OpsCursor.of("cf-ord:1@2026-12-04T04:00:00Z"))
                .isEqualTo(new PagesController.OpsCursor("cf-ord:1", Instant.parse("2026-12-04T04:00:00Z")));
    }

    /** Review s17: a last row whose time is not one (never, from this API) leaves the page without a next link, not broken. */
    @Test
    void aLastRowWithoutATimeGetsNoLink() {
        DashboardApi api = mock(DashboardApi.class);
        ArrayNode rows = rows(101);
        ((tools.jackson.databind.node.ObjectNode) rows.get(99)).put("updatedAt", "soon");
        when(api.get(eq("/api/v1/ops/payments?status=NEEDS_ATTENTION&limit=101"), eq(JsonNode.class))).thenReturn(rows);

        PagesController.OpsList page = PagesController.opsList(api, "NEEDS_ATTENTION", "parkedAfter", cursors(null, null));

        assertThat(page.rows().size()).isEqualTo(100);
        assertThat(page.next()).isNull();
    }

    private static ArrayNode refunds(int n) {
        ArrayNode rows = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < n; i++) rows.addObject().put("refundId", String.format("rf-%03d", i));
        return rows;
    }

    /**
     * s18: the waiting refunds were the last ops list to show its oldest 100 and say nothing of the rest. They page as the
     * payments do, after the last refund shown (its id: a refund's reservation time, the list's order, never changes).
     */
    @Test
    void moreRefundsThanAPageShowAPageAndLinkToTheNextKeepingThePaymentListsWhereTheyAre() {
        DashboardApi api = mock(DashboardApi.class);
        when(api.get(eq("/api/v1/ops/refunds?olderThanMinutes=0&limit=101"), eq(JsonNode.class))).thenReturn(refunds(101));

        PagesController.OpsList page = PagesController.refundList(api, cursors("r-7@2026-12-01T00:00:00Z", null));

        assertThat(page.rows().size()).isEqualTo(100);
        assertThat(page.after()).isNull();
        assertThat(page.next()).isEqualTo("/dashboard/ops?parkedAfter=r-7@2026-12-01T00:00:00Z&refundsAfter=rf-099");
        assertThat(page.first()).isEqualTo("/dashboard/ops?parkedAfter=r-7@2026-12-01T00:00:00Z");
    }

    @Test
    void aLaterPageOfRefundsAsksTheApiAfterTheLastShownAndAPaymentPageKeepsIt() {
        DashboardApi api = mock(DashboardApi.class);
        when(api.get(eq("/api/v1/ops/refunds?olderThanMinutes=0&limit=101&after=rf-099"), eq(JsonNode.class))).thenReturn(refunds(3));
        when(api.get(eq("/api/v1/ops/payments?status=NEEDS_ATTENTION&limit=101"), eq(JsonNode.class))).thenReturn(rows(101));
        var cursors = cursors(null, null);
        cursors.put(PagesController.REFUNDS_AFTER, PagesController.RefundCursor.of("rf-099"));

        PagesController.OpsList page = PagesController.refundList(api, cursors);
        assertThat(page.rows().size()).isEqualTo(3);
        assertThat(page.after()).isEqualTo("rf-099");
        assertThat(page.next()).isNull();
        assertThat(page.first()).isEqualTo("/dashboard/ops");
        assertThat(PagesController.opsList(api, "NEEDS_ATTENTION", "parkedAfter", cursors).next())
                .isEqualTo("/dashboard/ops?parkedAfter=cf-ord:099@2026-12-04T04:00:00.000099Z&refundsAfter=rf-099");
    }

    @Test
    void aRefundCursorThatIsNoRefundIdIsNone() {
        for (String bad : new String[] {"", "rf 1", "rf-1&limit=500", "<b>", "r".repeat(41), "rf:1"}) {
            assertThat(PagesController.RefundCursor.of(bad)).as(bad).isNull();
        }
        assertThat(PagesController.RefundCursor.of("rf_1-a")).isEqualTo(new PagesController.RefundCursor("rf_1-a"));
    }

    @Test
    void aRefundCursorOnNoRefundShowsTheListFromItsOldestNotAnErrorPage() {
        DashboardApi api = mock(DashboardApi.class);
        when(api.get(eq("/api/v1/ops/refunds?olderThanMinutes=0&limit=101&after=rf-gone"), eq(JsonNode.class)))
                .thenThrow(new DashboardApi.Refused(400, "no refund 'rf-gone' to continue after"));
        when(api.get(eq("/api/v1/ops/refunds?olderThanMinutes=0&limit=101"), eq(JsonNode.class))).thenReturn(refunds(101));
        var cursors = cursors("r-7@2026-12-01T00:00:00Z", null);
        cursors.put(PagesController.REFUNDS_AFTER, PagesController.RefundCursor.of("rf-gone"));

        PagesController.OpsList page = PagesController.refundList(api, cursors);
        assertThat(page.after()).isNull();
        assertThat(page.rows().get(0).path("refundId").asText()).isEqualTo("rf-000");
        assertThat(page.next()).isEqualTo("/dashboard/ops?parkedAfter=r-7@2026-12-01T00:00:00Z&refundsAfter=rf-099");
        assertThat(cursors.get(PagesController.REFUNDS_AFTER)).as("the payment lists' links drop the dead cursor").isNull();
    }

    @Test
    void anyOtherRefusalOfTheRefundListIsTheRefusal() {
        DashboardApi api = mock(DashboardApi.class);
        when(api.get(eq("/api/v1/ops/refunds?olderThanMinutes=0&limit=101&after=rf-1"), eq(JsonNode.class)))
                .thenThrow(new DashboardApi.Refused(503, "Temporal temporarily unavailable"));
        var cursors = cursors(null, null);
        cursors.put(PagesController.REFUNDS_AFTER, PagesController.RefundCursor.of("rf-1"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PagesController.refundList(api, cursors))
                .isInstanceOf(DashboardApi.Refused.class);
        org.mockito.Mockito.verify(api, org.mockito.Mockito.times(1)).get(org.mockito.ArgumentMatchers.anyString(), eq(JsonNode.class));
    }
}
