package com.commdesk.api.web.pages;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockServletContext;
import org.thymeleaf.context.WebContext;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.spring6.expression.ThymeleafEvaluationContext;
import org.thymeleaf.spring6.templateresolver.SpringResourceTemplateResolver;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.web.servlet.JakartaServletWebApplication;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The ops page's waiting refunds as the template renders them (s18): what each stageAnswer says, which rows offer actions,
 * and the paging links. Rendered by Thymeleaf from the real template, with the page's model as PagesController builds it.
 */
class OpsPageRenderTest {
    private static String render(Map<String, Object> model) {
        GenericApplicationContext app = new GenericApplicationContext();
        app.registerBean("inr", Inr.class);
        app.refresh();
        SpringResourceTemplateResolver resolver = new SpringResourceTemplateResolver();
        resolver.setApplicationContext(app);
        resolver.setPrefix("classpath:/templates/");
        resolver.setSuffix(".html");
        resolver.setTemplateMode(TemplateMode.HTML);
        SpringTemplateEngine engine = new SpringTemplateEngine();
        engine.setTemplateResolver(resolver);
        MockServletContext servlet = new MockServletContext();
        var exchange = JakartaServletWebApplication.buildApplication(servlet)
                .buildExchange(new MockHttpServletRequest(servlet, "GET", "/dashboard/ops"), new MockHttpServletResponse());
        WebContext context = new WebContext(exchange, Locale.ENGLISH, model);
        context.setVariable(ThymeleafEvaluationContext.THYMELEAF_EVALUATION_CONTEXT_CONTEXT_VARIABLE_NAME,
                new ThymeleafEvaluationContext(app, null));
        return engine.process("dashboard/ops", context);
    }

    private static Map<String, Object> model(ArrayNode refunds, PagesController.OpsList refundPage) {
        ArrayNode none = JsonNodeFactory.instance.arrayNode();
        PagesController.OpsList empty = new PagesController.OpsList(none, null, null, "/dashboard/ops");
        Map<String, Object> model = new HashMap<>();
        model.put("viewer", new Viewer("ops-anita", false, false, false, true, false, false, List.of()));
        model.put("parked", none);
        model.put("review", none);
        model.put("awaiting", none);
        model.put("refunds", refunds);
        model.put("pages", Map.of("parked", empty, "review", empty, "awaiting", empty, "refunds", refundPage));
        model.put("refundWorkflowPrefix", "refund-");
        JsonNode invariants = JsonNodeFactory.instance.objectNode().put("holds", true).put("journals", 1);
        model.put("invariants", invariants);
        model.put("temporalUi", "");
        return model;
    }

    private static String row(String html, String refundId) {
        int at = html.indexOf("data-refund=\"" + refundId + "\"");
        assertThat(at).as("a row for " + refundId).isGreaterThanOrEqualTo(0);
        return html.substring(html.lastIndexOf("<tr", at), html.indexOf("</tr>", at));
    }

    @Test
    void eachRowSaysWhatItsStageRestsOnAndOnlyAKnownStageOffersActions() {
        ArrayNode refunds = JsonNodeFactory.instance.arrayNode();
        refunds.addObject().put("refundId", "rf-ans").put("kind", "REFUND").put("amountPaise", 40_000).put("stage", "AWAITING_CASHFREE")
                .put("stageAnswer", "ANSWERED").put("reservedAt", "2026-12-04T04:00:00Z");
        refunds.addObject().put("refundId", "rf-gone").put("kind", "REFUND").put("amountPaise", 100).putNull("stage")
                .put("stageAnswer", "NO_WORKFLOW").put("reservedAt", "2026-12-04T04:00:01Z");
        refunds.addObject().put("refundId", "rf-slow").put("kind", "REFUND").put("amountPaise", 100).putNull("stage")
                .put("stageAnswer", "NOT_ANSWERED").put("reservedAt", "2026-12-04T04:00:02Z");
        refunds.addObject().put("refundId", "rf-unasked").put("kind", "REFUND").put("amountPaise", 100).putNull("stage")
                .put("stageAnswer", "NOT_ASKED").put("reservedAt", "2026-12-04T04:00:03Z");
        String html = render(model(refunds, new PagesController.OpsList(refunds, null, null, "/dashboard/ops")));

        assertThat(row(html, "rf-ans")).contains("AWAITING_CASHFREE").contains("/dashboard/ops/refunds/rf-ans/retry")
                .contains("/dashboard/ops/refunds/rf-ans/compensate").contains("\u20b9400.00");
        assertThat(row(html, "rf-gone")).contains("no workflow found").contains("nothing to do at this stage").doesNotContain("/retry");
        assertThat(row(html, "rf-slow")).contains("not known: Temporal did not answer").contains("stage not known: reload to act")
                .doesNotContain("/retry").doesNotContain("/compensate").doesNotContain("no workflow found");
        assertThat(row(html, "rf-unasked")).contains("not known: not asked in time").contains("stage not known: reload to act")
                .doesNotContain("/retry");
        assertThat(html).doesNotContain("id=\"refunds-next\"").doesNotContain("Continued after refund");
    }

    @Test
    void aFullPageLinksToTheNextAndALaterOneBackToTheOldest() {
        ArrayNode refunds = JsonNodeFactory.instance.arrayNode();
        refunds.addObject().put("refundId", "rf-100").put("kind", "REFUND").put("amountPaise", 100).put("stage", "NEEDS_ATTENTION")
                .put("stageAnswer", "ANSWERED").put("reservedAt", "2026-12-04T04:00:00Z");
        String html = render(model(refunds, new PagesController.OpsList(refunds, "rf-099",
                "/dashboard/ops?refundsAfter=rf-100", "/dashboard/ops")));
        assertThat(html).contains("id=\"refunds-next\" href=\"/dashboard/ops?refundsAfter=rf-100\"");
        assertThat(html).contains("Continued after refund <span>rf-099</span>");
    }
}
