package com.commdesk.api.web.pages;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.databind.JsonNode;

/**
 * The forms the pages offer, each exactly one call of the API's own endpoint with the viewer's access
 * token — never a side door: the API's access table, tenancy, four-eyes rules, validation and audit log
 * decide and record, and a refusal is shown on the page with the API's status and detail. Every form
 * carries the session's CSRF token (Spring Security refuses a POST without it). After the call the
 * browser is sent back to a page (post/redirect/get) with what happened.
 */
@Controller
@RequestMapping("/dashboard")
public class PageActions extends DashboardPage {
    public PageActions(DashboardApi api, ViewerCredentials credentials) {
        super(api, credentials);
    }

    // ---- finance: payouts ------------------------------------------------------------------------

    /** Approve one payout (the workflow's approve signal); the requester or the recipient is refused by the API (four eyes). */
    @PostMapping("/finance/payouts/{payoutId}/approve")
    public String approve(@PathVariable String payoutId, @RequestParam(required = false) String note,
                          @RequestParam(required = false) Integer flagGeneration, RedirectAttributes flash) {
        String id = id(payoutId);
        // The flag generation the page showed goes with the approval: flagged since, the API refuses it (409).
        Map<String, Object> decision = new LinkedHashMap<>(body("note", note));
        if (flagGeneration != null) decision.put("flagGeneration", flagGeneration);
        boolean done = act(flash, () -> api.post("/api/v1/finance/payouts/" + id + "/approve", decision),
                "Approved payout " + id + ": its transfer is on its way.");
        return done ? "redirect:/dashboard/payouts/" + id : "redirect:/dashboard/finance";
    }

    @PostMapping("/finance/payouts/{payoutId}/reject")
    public String reject(@PathVariable String payoutId, @RequestParam(required = false) String note, RedirectAttributes flash) {
        String id = id(payoutId);
        act(flash, () -> api.post("/api/v1/finance/payouts/" + id + "/reject", body("note", note)),
                "Rejected payout " + id + ": the money goes back to the member's available balance.");
        return "redirect:/dashboard/finance";
    }

    /** A payout whose transfer outcome is unknown: finance says what Cashfree or the bank showed (FAILED needs a second person). */
    @PostMapping("/finance/payouts/{payoutId}/resolve")
    public String resolve(@PathVariable String payoutId, @RequestParam(required = false) String outcome,
                          @RequestParam(required = false) String note, RedirectAttributes flash) {
        String id = id(payoutId);
        act(flash, () -> api.post("/api/v1/finance/payouts/" + id + "/resolve", body("outcome", outcome, "note", note)), null);
        return "redirect:/dashboard/finance";
    }

    // ---- finance: owners' refunds awaiting approval -------------------------------------------------

    /** Approve or reject a community owner's refund above the threshold; the requester is refused by the API (four eyes). */
    @PostMapping("/finance/refunds/{refundId}/{decision}")
    public String decideRefund(@PathVariable String refundId, @PathVariable String decision, @RequestParam(required = false) String note,
                               RedirectAttributes flash) {
        if (!decision.equals("approve") && !decision.equals("reject")) throw new DashboardApi.Refused(404, "no such action");
        String id = id(refundId);
        act(flash, () -> api.post("/api/v1/finance/refunds/" + id + "/" + decision, body("note", note)), decision.equals("approve")
                ? "Approved refund " + id + ": it is reserved and sent to Cashfree."
                : "Rejected refund " + id + ": nothing was reserved or sent.");
        return "redirect:/dashboard/finance";
    }

    // ---- finance: reconciliation exceptions --------------------------------------------------------

    /** Resolve an exception with an adjustment (a journal that books the difference) or with an explanation. */
    @PostMapping("/finance/exceptions/{exceptionId}/{how}")
    public String resolveException(@PathVariable long exceptionId, @PathVariable String how, @RequestParam(required = false) String reason,
                                   RedirectAttributes flash) {
        if (!how.equals("adjust") && !how.equals("explain")) throw new DashboardApi.Refused(404, "no such action");
        act(flash, () -> api.post("/api/v1/reconciliation/exceptions/" + exceptionId + "/" + how, body("reason", reason)),
                "Exception " + exceptionId + (how.equals("adjust") ? " resolved with an adjustment." : " resolved with an explanation."));
        return "redirect:/dashboard/finance";
    }

    // ---- operations: parked payments and fraud reviews -------------------------------------------

    /**
     * Retry or compensate a parked (NEEDS_ATTENTION) payment, review a flagged one, or cancel one awaiting its order's
     * payment: the operator's signal to its workflow.
     */
    @PostMapping("/ops/payments/{paymentId}/{action}")
    public String operate(@PathVariable String paymentId, @PathVariable String action, @RequestParam(required = false) String note,
                          @RequestParam(required = false) String outcome, @RequestParam(required = false) String reason,
                          RedirectAttributes flash) {
        String id = id(paymentId);
        switch (action) {
            case "retry", "compensate" -> act(flash,
                    () -> api.post("/api/v1/ops/payments/" + id + "/" + action, body("note", note)),
                    (action.equals("retry") ? "Retrying payment " : "Compensating payment ") + id + ".");
            case "cancel" -> act(flash,
                    () -> api.post("/api/v1/ops/payments/" + id + "/cancel", body("note", note)),
                    "Cancelling payment " + id + ": Cashfree is asked to terminate its order; it fails once the order can no"
                            + " longer be paid, and is booked if it was paid meanwhile.");
            case "review" -> act(flash,
                    () -> api.post("/api/v1/ops/payments/" + id + "/review", body("outcome", outcome, "reason", reason)),
                    "Review of payment " + id + ": " + outcome + ".");
            default -> throw new DashboardApi.Refused(404, "no such action");
        }
        return "redirect:/dashboard/ops";
    }

    // ---- operations: refunds waiting for Cashfree or an operator ------------------------------------

    /**
     * Retry (ask Cashfree again now) or compensate (give the reserved money back; the refund's workflow asks
     * Cashfree first and compensates only if Cashfree has no such refund or failed it) one waiting refund.
     */
    @PostMapping("/ops/refunds/{refundId}/{action}")
    public String operateRefund(@PathVariable String refundId, @PathVariable String action, @RequestParam(required = false) String note,
                                RedirectAttributes flash) {
        if (!action.equals("retry") && !action.equals("compensate")) throw new DashboardApi.Refused(404, "no such action");
        String id = id(refundId);
        act(flash, () -> api.post("/api/v1/ops/refunds/" + id + "/" + action, body("note", note)), action.equals("retry")
                ? "Refund " + id + ": asking Cashfree again."
                : "Refund " + id + ": compensation asked; its workflow checks with Cashfree first and gives the money back only if"
                        + " Cashfree has no such refund or failed it.");
        return "redirect:/dashboard/ops";
    }

    /**
     * Calls the API; on success flashes {@code done} (or, when null, what the API answered), on refusal the
     * API's status and detail. Returns whether the API accepted.
     */
    private static boolean act(RedirectAttributes flash, Supplier<JsonNode> call, String done) {
        try {
            JsonNode answer = call.get();
            flash.addFlashAttribute("notice", done != null ? done : summary(answer));
            return true;
        } catch (DashboardApi.Refused e) {
            flash.addFlashAttribute("refusal", "The platform answered " + e.status() + ": " + e.detail());
            return false;
        }
    }

    /** What a resolution answered, in a sentence: done, or waiting for a second person. */
    private static String summary(JsonNode answer) {
        if (answer == null) return "Done.";
        String next = answer.path("next").asText("");
        JsonNode r = answer.path("resolution");
        String what = "Payout " + answer.path("payoutId").asText() + ": " + r.path("outcome").asText() + " recorded by "
                + r.path("requestedBy").asText();
        return next.isEmpty() ? what + (r.path("confirmedBy").isTextual() ? ", confirmed by " + r.path("confirmedBy").asText() : "") + "."
                : what + "; " + next + ".";
    }

    /** A JSON object of the given name/value pairs; blank values are left out (the API then says what is missing). */
    private static Map<String, String> body(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null && !pairs[i + 1].isBlank()) m.put(pairs[i], pairs[i + 1].strip());
        }
        return m;
    }
}
