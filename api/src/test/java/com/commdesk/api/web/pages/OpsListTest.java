package com.commdesk.api.web.pages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * s17 (left undone in s15): the ops page showed the oldest 100 parked, flagged and unpaid payments and said nothing of the
 * rest, so a payment past the hundredth was never seen there. It now asks for one more than a page, shows a page, and links
 * to the next one (keeping the other lists where they are).
 */
class OpsListTest {
    private static ArrayNode rows(int n) {
        ArrayNode rows = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < n; i++) rows.addObject().put("paymentId", String.format("p-%03d", i));
        return rows;
    }

    private static Map<String, String> cursors(String parked, String review) {
        var cursors = new LinkedHashMap<String, String>();
        cursors.put("parkedAfter", parked);
        cursors.put("reviewAfter", review);
        cursors.put("awaitingAfter", null);
        return cursors;
    }

    @Test
    void morePaymentsThanAPageShowAPageAndLinkToTheNext() {
        DashboardApi api = mock(DashboardApi.class);
        when(api.get(eq("/api/v1/ops/payments?status=NEEDS_ATTENTION&limit=101"), eq(JsonNode.class))).thenReturn(rows(101));

        PagesController.OpsList page = PagesController.opsList(api, "NEEDS_ATTENTION", "parkedAfter", cursors(null, "r-7"));

        assertThat(page.rows().size()).isEqualTo(100);
        assertThat(page.rows().get(99).path("paymentId").asText()).isEqualTo("p-099");
        assertThat(page.after()).isNull();
        assertThat(page.next()).isEqualTo("/dashboard/ops?parkedAfter=p-099&reviewAfter=r-7");
    }

    @Test
    void aPageAfterACursorAsksTheApiAfterItAndTheLastPageHasNoLink() {
        DashboardApi api = mock(DashboardApi.class);
        when(api.get(eq("/api/v1/ops/payments?status=NEEDS_ATTENTION&limit=101&after=p-099%3Ax+y"), eq(JsonNode.class)))
                .thenReturn(rows(100));

        PagesController.OpsList page = PagesController.opsList(api, "NEEDS_ATTENTION", "parkedAfter", cursors("p-099:x y", null));

        assertThat(page.rows().size()).isEqualTo(100);
        assertThat(page.after()).isEqualTo("p-099:x y");
        assertThat(page.next()).as("exactly a page: nothing more").isNull();
    }
}
