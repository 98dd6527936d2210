package com.commdesk.api.payout;

import com.commdesk.api.web.ApiProblem;
import com.commdesk.api.web.Caller;
import com.commdesk.ledger.payout.Distributions;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Seed 002's distribution lifecycle (docs/payouts.md "Distributions"): each member share of a payment with its
 * status (PENDING, APPROVED, PAID, FAILED, REFUNDED) and the payouts that hold or paid it. Same access as the
 * wallet statements: a member their own, an owner their communities', finance every one.
 */
@RestController
@RequestMapping("/api/v1")
public class DistributionsController {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    private static final int MAX_OFFSET = 100_000;

    private final Distributions distributions;

    public DistributionsController(Distributions distributions) {
        this.distributions = distributions;
    }

    /** One member's distributions in a community, newest first. */
    @GetMapping(path = "/wallets/{communityId}/members/{userId}/distributions", produces = MediaType.APPLICATION_JSON_VALUE)
    public Distributions.DistributionPage memberDistributions(@PathVariable String communityId, @PathVariable String userId,
                                     @RequestParam(defaultValue = "0") int offset, @RequestParam(defaultValue = "100") int limit) {
        Caller.current().requireMemberOrCommunity(id("communityId", communityId), id("userId", userId));
        return distributions.member(communityId, userId, offset(offset), limit(limit));
    }

    /** Every distribution of a community, newest first. */
    @GetMapping(path = "/wallets/{communityId}/distributions", produces = MediaType.APPLICATION_JSON_VALUE)
    public Distributions.DistributionPage communityDistributions(@PathVariable String communityId,
                                        @RequestParam(defaultValue = "0") int offset, @RequestParam(defaultValue = "100") int limit) {
        Caller.current().requireCommunity(id("communityId", communityId));
        return distributions.community(communityId, offset(offset), limit(limit));
    }

    /**
     * Finance's review step: distributions in payouts awaiting approval, grouped by recipient, each with the split
     * agreement version and commission rule version that produced it.
     */
    @GetMapping(path = "/finance/distributions/review", produces = MediaType.APPLICATION_JSON_VALUE)
    public List<Distributions.ReviewRecipient> distributionsAwaitingReview(@RequestParam(required = false) String communityId,
                                                @RequestParam(defaultValue = "100") int limit) {
        return distributions.awaitingReview(communityId == null ? null : id("communityId", communityId), limit(limit));
    }

    private static String id(String field, String value) {
        if (!ID.matcher(value).matches()) throw ApiProblem.invalid(field, field + " is not a valid id");
        return value;
    }

    private static int offset(int offset) {
        if (offset < 0 || offset > MAX_OFFSET) throw ApiProblem.invalid("offset", "offset must be 0.." + MAX_OFFSET);
        return offset;
    }

    private static int limit(int limit) {
        if (limit < 1 || limit > Distributions.MAX_LIMIT) throw ApiProblem.invalid("limit", "limit must be 1.." + Distributions.MAX_LIMIT);
        return limit;
    }
}
