package com.commdesk.fees;

import java.util.List;

/**
 * Divides a community's net revenue across roles and, within each role, across members, at paise
 * precision, always summing exactly. The one allocation primitive is {@link #largestRemainder}.
 */
public final class SplitEngine {
    private SplitEngine() {}

    /**
     * Splits {@code netPaise} across the roles (shares in bps totalling exactly 10000), then each
     * role's amount across its members by the role's {@link MemberSplitMode}.
     */
    public static List<RoleAllocation> splitRevenueAcrossRoles(long netPaise, List<RoleSplit> roles) {
        return compile(roles).split(netPaise);
    }

    /** Validates the roles once for repeated splits. */
    public static SplitPlan compile(List<RoleSplit> roles) {
        return new SplitPlan(roles, "roles");
    }

    /**
     * Allocates {@code amountPaise} in proportion to {@code weights}: each part gets the floor of its
     * exact share {@code amount × w / Σw}; the paise left over (fewer than the number of parts) go one
     * each to the parts with the largest fractional remainders, ties to the earlier index. The parts
     * sum to the amount exactly and each differs from its exact share by less than one paisa.
     *
     * @param amountPaise 0..10^12
     * @param weights     1..10,000 weights, each 0..10^6, not all 0
     */
    public static long[] largestRemainder(long amountPaise, long[] weights) {
        Checks.range(amountPaise, 0, Limits.MAX_AMOUNT_PAISE, "amountPaise");
        Checks.notNull(weights, "weights");
        if (weights.length == 0 || weights.length > Limits.MAX_PARTS) {
            throw new FeeValidationException("weights", "must have 1.." + Limits.MAX_PARTS + " entries, had " + weights.length);
        }
        long total = 0;
        for (int i = 0; i < weights.length; i++) {
            Checks.range(weights[i], 0, Limits.MAX_WEIGHT, "weights[" + i + "]");
            total += weights[i];
        }
        if (total == 0) throw new FeeValidationException("weights", "must not all be 0");
        return allocate(amountPaise, weights, total);
    }

    /** {@link #largestRemainder} without validation: amount 0..10^12, weights 0..10^6, total = Σw > 0. */
    static long[] allocate(long amount, long[] weights, long total) {
        int n = weights.length;
        long[] out = new long[n];
        long[] rem = new long[n];
        long given = 0;
        for (int i = 0; i < n; i++) {
            long exact = Math.multiplyExact(amount, weights[i]);
            long q = exact / total;
            out[i] = q;
            rem[i] = exact - q * total;
            given += q;
        }
        long left = amount - given; // = Σrem / total < n
        if (left == 0) return out;
        if (n <= 32) {
            for (long k = 0; k < left; k++) {
                int best = -1;
                for (int i = 0; i < n; i++) if (best < 0 || rem[i] > rem[best]) best = i;
                out[best]++;
                rem[best] = -1;
            }
        } else {
            // key = remainder (< 2^34) above the inverted index (14 bits), so ascending order puts the
            // largest remainder, then the earliest index, last.
            long[] keys = new long[n];
            for (int i = 0; i < n; i++) keys[i] = (rem[i] << 14) | (16383 - i);
            java.util.Arrays.sort(keys);
            for (int k = 0; k < left; k++) out[16383 - (int) (keys[n - 1 - k] & 16383)]++;
        }
        return out;
    }
}
