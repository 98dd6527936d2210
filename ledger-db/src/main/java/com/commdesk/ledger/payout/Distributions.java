package com.commdesk.ledger.payout;

import static com.commdesk.ledger.jooq.Tables.DISTRIBUTION_ALLOCATION;
import static com.commdesk.ledger.jooq.Tables.PAYMENT_SPLIT_AGREEMENT;
import static com.commdesk.ledger.jooq.Tables.PAYOUT;
import static com.commdesk.ledger.jooq.Tables.REVENUE_DISTRIBUTION;
import static com.commdesk.ledger.jooq.Tables.REVENUE_TRANSACTION;

import com.commdesk.ledger.Ledger;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Seed 002's distribution lifecycle, read side (docs/payouts.md "Distributions"). A distribution is one
 * member share of a payment ({@code revenue_distribution}); the payouts that locked money for it are its
 * allocations ({@code distribution_allocation}, changeset 091), written by {@code distribution_allocate}
 * in the payout's lock transaction, their status following the payout's in the same transaction. The
 * distribution's status is derived from them here, never stored twice.
 */
public final class Distributions {
    public static final int MAX_LIMIT = 500;

    /** One payout's part of a distribution. FAILED ones are history: that money was open again afterwards. */
    public record Allocation(String payoutId, long amountPaise, String status, String payoutStatus, OffsetDateTime allocatedAt,
                             OffsetDateTime paidAt) {}

    /**
     * A member share with its lifecycle status: PENDING (open, wholly or in part: in its hold, available, or
     * in a payout awaiting approval), APPROVED (all of it in approved payouts on their way), PAID (all of it
     * paid, less what refunds took back), FAILED (its last payout failed and nothing else holds it: open for
     * the next payout), REFUNDED (refunds took all of it back before any of it was paid out). {@code openPaise}:
     * what no payout holds and no refund took back (what the next payout can allocate once the hold is over).
     */
    public record Distribution(UUID distributionId, String paymentId, String communityId, String role, String userId, int shareBps,
                               long amountPaise, OffsetDateTime postedAt, String status, long paidPaise, long openPaise,
                               long takenBackPaise, String scheduleName, String ruleId, Integer ruleVersion,
                               Integer agreementVersion, List<Allocation> allocations) {}

    public record DistributionPage(List<Distribution> distributions, Integer nextOffset) {}

    /** Finance's review: one recipient's distributions in payouts awaiting approval. */
    public record ReviewRecipient(String communityId, String role, String userId, long totalPaise, List<Distribution> distributions) {}

    private final Ledger ledger;

    public Distributions(Ledger ledger) {
        this.ledger = ledger;
    }

    /** The status a distribution's allocations mean (pure; the rules in the record's javadoc). */
    public static String status(long amountPaise, long takenBackPaise, List<Allocation> allocations) {
        long live = 0;
        boolean anyFailed = false;
        int least = 2; // 0 PENDING, 1 APPROVED, 2 PAID
        for (Allocation a : allocations) {
            switch (a.status()) {
                case "FAILED" -> anyFailed = true;
                case "PENDING" -> { live += a.amountPaise(); least = 0; }
                case "APPROVED" -> { live += a.amountPaise(); least = Math.min(least, 1); }
                case "PAID" -> live += a.amountPaise();
                default -> throw new IllegalStateException("unknown allocation status " + a.status());
            }
        }
        if (live == 0) {
            if (amountPaise > 0 && takenBackPaise >= amountPaise) return "REFUNDED";
            if (amountPaise == 0) return "PAID"; // a zero share: nothing to pay
            return anyFailed ? "FAILED" : "PENDING";
        }
        if (live + takenBackPaise < amountPaise) return "PENDING";
        return switch (least) {
            case 0 -> "PENDING";
            case 1 -> "APPROVED";
            default -> "PAID";
        };
    }

    /** A member's distributions in a community, newest first. */
    public DistributionPage member(String communityId, String userId, int offset, int limit) {
        return page(REVENUE_DISTRIBUTION.COMMUNITY_ID.eq(communityId).and(REVENUE_DISTRIBUTION.USER_ID.eq(userId)), offset, limit);
    }

    /** Every distribution of a community, newest first. */
    public DistributionPage community(String communityId, int offset, int limit) {
        return page(REVENUE_DISTRIBUTION.COMMUNITY_ID.eq(communityId), offset, limit);
    }

    private DistributionPage page(Condition where, int offset, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT);
        if (offset < 0) throw new IllegalArgumentException("offset must be >= 0");
        var d = REVENUE_DISTRIBUTION;
        return ledger.once(tx -> {
            List<UUID> ids = tx.select(d.DISTRIBUTION_ID).from(d).where(where)
                    .orderBy(d.CREATED_AT.desc(), d.DISTRIBUTION_ID.desc()).limit(limit + 1).offset(offset).fetch(d.DISTRIBUTION_ID);
            boolean more = ids.size() > limit;
            List<Distribution> rows = load(tx, more ? ids.subList(0, limit) : ids);
            return new DistributionPage(rows, more ? offset + limit : null);
        });
    }

    /**
     * Finance's review step (issue 12): distributions allocated to payouts that await an approval, grouped by
     * recipient, each beside the split agreement version and commission rule version that produced it.
     */
    public List<ReviewRecipient> awaitingReview(String communityId, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT);
        var a = DISTRIBUTION_ALLOCATION;
        return ledger.once(tx -> {
            List<UUID> ids = tx.selectDistinct(a.DISTRIBUTION_ID, a.ALLOCATION_ID).from(a).join(PAYOUT).on(PAYOUT.PAYOUT_ID.eq(a.PAYOUT_ID))
                    .where(a.STATUS.eq("PENDING"), PAYOUT.STATUS.eq("PENDING_APPROVAL"),
                            communityId == null ? DSL.noCondition() : a.COMMUNITY_ID.eq(communityId))
                    .orderBy(a.ALLOCATION_ID).limit(limit).fetch(a.DISTRIBUTION_ID);
            Map<String, List<Distribution>> byRecipient = new LinkedHashMap<>();
            for (Distribution x : load(tx, ids.stream().distinct().toList())) {
                byRecipient.computeIfAbsent(x.communityId() + "\u0000" + x.role() + "\u0000" + x.userId(), k -> new ArrayList<>()).add(x);
            }
            List<ReviewRecipient> out = new ArrayList<>();
            for (List<Distribution> list : byRecipient.values()) {
                Distribution first = list.get(0);
                long total = list.stream().flatMap(x -> x.allocations().stream()).filter(x -> "PENDING".equals(x.status()))
                        .mapToLong(Allocation::amountPaise).sum();
                out.add(new ReviewRecipient(first.communityId(), first.role(), first.userId(), total, List.copyOf(list)));
            }
            return out;
        });
    }

    /** The distributions with these ids (in this order), each with its payment's rule and agreement and its allocations. */
    private static List<Distribution> load(DSLContext tx, List<UUID> ids) {
        if (ids.isEmpty()) return List.of();
        var d = REVENUE_DISTRIBUTION;
        var t = REVENUE_TRANSACTION;
        var a = DISTRIBUTION_ALLOCATION;
        var takenBack = DSL.field("distribution_taken_back({0}, {1}, {2}, {3})", Long.class, d.TRANSACTION_ID, d.COMMUNITY_ID,
                d.ROLE_NAME, d.USER_ID);
        Map<UUID, List<Allocation>> allocations = new LinkedHashMap<>();
        tx.select(a.DISTRIBUTION_ID, a.PAYOUT_ID, a.AMOUNT_PAISE, a.STATUS, PAYOUT.STATUS, a.CREATED_AT, PAYOUT.PAID_AT)
                .from(a).join(PAYOUT).on(PAYOUT.PAYOUT_ID.eq(a.PAYOUT_ID))
                .where(a.DISTRIBUTION_ID.in(ids)).orderBy(a.ALLOCATION_ID)
                .forEach(r -> allocations.computeIfAbsent(r.value1(), k -> new ArrayList<>()).add(new Allocation(r.value2(), r.value3(),
                        r.value4(), r.value5(), r.value6(), "PAID".equals(r.value4()) ? r.value7() : null)));
        Map<UUID, Distribution> byId = new LinkedHashMap<>();
        tx.select(d.DISTRIBUTION_ID, t.IDEMPOTENCY_KEY, d.COMMUNITY_ID, d.ROLE_NAME, d.USER_ID, d.SHARE_BPS, d.AMOUNT_PAISE, d.CREATED_AT,
                        takenBack, t.SCHEDULE_NAME, t.RULE_ID, t.RULE_VERSION, PAYMENT_SPLIT_AGREEMENT.AGREEMENT_VERSION)
                .from(d).join(t).on(t.TRANSACTION_ID.eq(d.TRANSACTION_ID))
                .leftJoin(PAYMENT_SPLIT_AGREEMENT).on(PAYMENT_SPLIT_AGREEMENT.PAYMENT_ID.eq(t.IDEMPOTENCY_KEY))
                .where(d.DISTRIBUTION_ID.in(ids))
                .forEach(r -> {
                    List<Allocation> own = List.copyOf(allocations.getOrDefault(r.value1(), List.of()));
                    long taken = r.value9();
                    long amount = r.value7();
                    long paid = own.stream().filter(x -> "PAID".equals(x.status())).mapToLong(Allocation::amountPaise).sum();
                    long live = own.stream().filter(x -> !"FAILED".equals(x.status())).mapToLong(Allocation::amountPaise).sum();
                    byId.put(r.value1(), new Distribution(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), r.value6(), amount,
                            r.value8(), status(amount, taken, own), paid, Math.max(0, amount - live - taken), taken,
                            r.value10(), r.value11(), r.value12(), r.value13(), own));
                });
        List<Distribution> out = new ArrayList<>(ids.size());
        for (UUID id : ids) {
            Distribution x = byId.get(id);
            if (x != null) out.add(x);
        }
        return out;
    }
}
