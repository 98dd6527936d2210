package com.commdesk.dev;

import com.commdesk.ledger.HoldReleases;
import com.commdesk.ledger.Ledger;
import com.commdesk.ledger.LedgerDatabase;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The payouts of failure scenario 7: a community of its own that pays out (MANUAL settlements, no hold,
 * {@link #MEMBERS} members sharing one role, each with a bank beneficiary), and the finance API calls a
 * settlement takes — requested by one finance user, each payout approved by two others.
 */
final class FailurePayouts {
    static final String COMMUNITY = "fail-payouts";
    static final int MEMBERS = 6;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FailureRig rig;

    FailurePayouts(FailureRig rig) {
        this.rig = rig;
    }

    /** The community, its members (as onboarding would write them) and their beneficiaries (through the API, each by its member). */
    void seed() throws Exception {
        try (LedgerDatabase db = LedgerDatabase.open(rig.ownerUrl(), null, null, 1)) {
            db.dsl().execute("insert into community (community_id, name, tier, supplier_state, hold_days, payout_policy, min_payout_paise)"
                    + " values (?, 'Failure payouts', 'STANDARD', 'KA', 0, 'MANUAL', 10000)", COMMUNITY);
            db.dsl().execute("insert into community_role (community_id, role, share_bps, split_mode, position) values (?, 'crew', 10000, 'EQUAL', 0)", COMMUNITY);
            for (int i = 1; i <= MEMBERS; i++) {
                db.dsl().execute("insert into community_member (community_id, role, user_id, position) values (?, 'crew', ?, ?)", COMMUNITY, "u-fp-" + i, i - 1);
            }
        }
        // Each member sets its own (one an owner set would wait the community's cooling-off, changeset 124).
        for (int i = 1; i <= MEMBERS; i++) {
            HttpResponse<String> r = send("PUT", "/api/v1/finance/beneficiaries", token("u-fp-" + i, "MEMBER", List.of()), "{\"communityId\":\"" + COMMUNITY
                    + "\",\"role\":\"crew\",\"userId\":\"u-fp-" + i + "\",\"name\":\"Crew Member " + (char) ('A' + i) + "\",\"ifsc\":\"HDFC0000001\","
                    + "\"bankAccountNumber\":\"00011122233" + i + "\"}");
            if (r.statusCode() != 200) throw new IllegalStateException("beneficiary: " + r.statusCode() + " " + r.body());
        }
    }

    /** The hold ends (hold_days 0): what the worker's release job does each minute, now. */
    int releaseHolds() throws Exception {
        try (LedgerDatabase db = LedgerDatabase.open(rig.databaseUrl(), null, null, 1)) {
            return new HoldReleases(new Ledger(db.dsl())).releaseDueHolds(OffsetDateTime.now(), 10_000);
        }
    }

    /** POST /api/v1/finance/settlements by {@code requester}; the settlement id. */
    String startSettlement(String requester) throws Exception {
        HttpResponse<String> r = send("POST", "/api/v1/finance/settlements", token(requester, "FINANCE_APPROVER", List.of()),
                "{\"communityId\":\"" + COMMUNITY + "\"}");
        if (r.statusCode() != 202) throw new IllegalStateException("settlement: " + r.statusCode() + " " + r.body());
        return JSON.readTree(r.body()).path("settlementId").asText();
    }

    /** The settlement's payouts (payoutId, status, amountPaise), once there are {@code count} in {@code status}. */
    List<JsonNode> awaitPayouts(String settlementId, String status, int count, Duration timeout) throws Exception {
        return awaitPayouts(settlementId, p -> status.equals(p.path("status").asText()), count, timeout);
    }

    /** The settlement's payouts once there are {@code count} and each is {@code done}. */
    List<JsonNode> awaitPayouts(String settlementId, java.util.function.Predicate<JsonNode> done, int count, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String viewer = token("finance-viewer-fp", "FINANCE_VIEWER", List.of());
        List<JsonNode> payouts = List.of();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = send("GET", "/api/v1/finance/settlements/" + settlementId, viewer, null);
            if (r.statusCode() == 200) {
                payouts = new ArrayList<>();
                for (JsonNode p : JSON.readTree(r.body()).path("payouts")) payouts.add(p);
                if (payouts.size() == count && payouts.stream().allMatch(done)) return payouts;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("settlement " + settlementId + ": not " + count + " payouts as expected within " + timeout + ": " + payouts);
    }

    /** POST …/approve by {@code approver}; the HTTP status. */
    int approve(String payoutId, String approver) throws Exception {
        return send("POST", "/api/v1/finance/payouts/" + payoutId + "/approve", token(approver, "FINANCE_APPROVER", List.of()),
                "{\"note\":\"checked by " + approver + "\"}").statusCode();
    }

    private String token(String subject, String role, List<String> communities) {
        return SharedStack.mintedToken(rig.infra(), subject, List.of(role), communities, Instant.now(), Duration.ofMinutes(15));
    }

    private HttpResponse<String> send(String method, String path, String token, String json) throws Exception {
        return SharedStack.HTTP.send(HttpRequest.newBuilder(URI.create(rig.apiUrl(path))).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
