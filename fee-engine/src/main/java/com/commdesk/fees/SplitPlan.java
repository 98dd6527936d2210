package com.commdesk.fees;

import java.util.List;

/**
 * A validated list of {@link RoleSplit}s, ready to split any net amount. Immutable and thread-safe.
 * Rules: 1..64 roles, unique names (case-insensitive); at least one PERCENT role, the PERCENT shares
 * 0..10000 bps totalling exactly 10000 (FIXED and TIERED roles have shareBps 0); FIXED amounts and tier
 * bands as in {@link RoleSplit}; each role 1..10,000 members with unique user ids (case-insensitive);
 * WEIGHTED weights 1..10^6; FIXED member amounts 0..10^12 that must sum exactly to the role's amount
 * when split. With {@code membersOptional} (quotes only) an EQUAL or WEIGHTED role may have no members:
 * its amount is computed and its member list is empty.
 */
public final class SplitPlan {
    private static final long ONE = Limits.BPS_ONE;
    private static final long ONE_SQUARED = ONE * ONE;

    private final List<RoleSplit> roles;
    private final String path;
    private final long[] shares;
    private final long[][] weights;   // per role: member weights (EQUAL: null, FIXED: fixed amounts)
    private final long[] weightTotals;
    private final String[][] userIds;
    private final Tiers[] served;     // per role: FIXED or TIERED as tiers on the net (FIXED: a flat 0 % + fixed), PERCENT: null
    private final boolean allPercent;

    public SplitPlan(List<RoleSplit> roles, String path) {
        this(roles, path, false);
    }

    /** @param membersOptional accept EQUAL/WEIGHTED roles without members (for quotes: there is no one to pay) */
    public SplitPlan(List<RoleSplit> roles, String path, boolean membersOptional) {
        this.path = path;
        Checks.notNull(roles, path);
        int n = roles.size();
        if (n == 0 || n > Limits.MAX_ROLES) {
            throw new FeeValidationException(path, "must have 1.." + Limits.MAX_ROLES + " roles, had " + n);
        }
        this.roles = List.copyOf(nonNull(roles, path));
        this.shares = new long[n];
        this.weights = new long[n][];
        this.weightTotals = new long[n];
        this.userIds = new String[n][];
        this.served = new Tiers[n];
        long total = 0;
        boolean anyPercent = false;
        boolean allPercent = true;
        // Field paths are only built when something is wrong: this runs once per quote for default roles.
        for (int i = 0; i < n; i++) {
            RoleSplit r = this.roles.get(i);
            if (!validName(r.role())) throw new FeeValidationException(rolePath(i) + ".role", nameProblem(r.role()));
            for (int j = 0; j < i; j++) {
                if (CaseFold.equal(this.roles.get(j).role(), r.role())) {
                    throw new FeeValidationException(rolePath(i) + ".role", "duplicate role '" + r.role() + "' (names are case-insensitive)");
                }
            }
            if (r.method() == ShareMethod.PERCENT) {
                if (r.shareBps() < 0 || r.shareBps() > Limits.BPS_ONE) Checks.bps(r.shareBps(), rolePath(i) + ".shareBps");
                shares[i] = r.shareBps();
                total += r.shareBps();
                anyPercent = true;
            } else {
                served[i] = served(r, rolePath(i));
                allPercent = false;
            }
            MemberSplitMode mode = r.mode();
            if (mode == null) throw new FeeValidationException(rolePath(i) + ".mode", "is required");
            List<MemberShare> members = r.members();
            boolean memberless = membersOptional && mode != MemberSplitMode.FIXED && (members == null || members.isEmpty());
            if (memberless) {
                userIds[i] = new String[0];
                continue;
            }
            if (members == null) throw new FeeValidationException(rolePath(i) + ".members", "is required");
            int m = members.size();
            if (m == 0 || m > Limits.MAX_MEMBERS) {
                throw new FeeValidationException(rolePath(i) + ".members", "must have 1.." + Limits.MAX_MEMBERS + " members, had " + m);
            }
            String[] ids = new String[m];
            long[] w = mode == MemberSplitMode.EQUAL ? null : new long[m];
            long wt = 0;
            CaseFold.Table.Builder<Boolean> seen = m > 8 ? CaseFold.Table.builder() : null;
            for (int j = 0; j < m; j++) {
                MemberShare s = members.get(j);
                if (s == null) throw new FeeValidationException(memberPath(i, j), "is required");
                if (!validName(s.userId())) throw new FeeValidationException(memberPath(i, j) + ".userId", nameProblem(s.userId()));
                ids[j] = s.userId();
                boolean dup = false;
                if (seen != null) {
                    dup = seen.put(s.userId(), Boolean.TRUE) != null;
                } else {
                    for (int k = 0; k < j; k++) dup |= CaseFold.equal(ids[k], ids[j]);
                }
                if (dup) throw new FeeValidationException(memberPath(i, j) + ".userId", "duplicate member '" + s.userId() + "' in role '" + r.role() + "'");
                if (mode == MemberSplitMode.WEIGHTED) {
                    if (s.weight() < 1 || s.weight() > Limits.MAX_WEIGHT) Checks.range(s.weight(), 1, Limits.MAX_WEIGHT, memberPath(i, j) + ".weight");
                    w[j] = s.weight();
                    wt += w[j];
                } else if (mode == MemberSplitMode.FIXED) {
                    if (s.fixedPaise() < 0 || s.fixedPaise() > Limits.MAX_AMOUNT_PAISE) {
                        Checks.range(s.fixedPaise(), 0, Limits.MAX_AMOUNT_PAISE, memberPath(i, j) + ".fixedPaise");
                    }
                    w[j] = s.fixedPaise();
                    wt += w[j];
                }
            }
            weights[i] = w;
            weightTotals[i] = wt;
            userIds[i] = ids;
        }
        if (!anyPercent) {
            throw new FeeValidationException(path, "at least one PERCENT role must receive what the FIXED and TIERED roles leave");
        }
        if (total != Limits.BPS_ONE) {
            throw new FeeValidationException(path, "the PERCENT roles' shares must total exactly 10000 bps, total " + total);
        }
        this.allPercent = allPercent;
    }

    /** A FIXED or TIERED role as tiers on the net; shareBps must be 0 and the other method's fields empty. */
    private static Tiers served(RoleSplit r, String p) {
        if (r.shareBps() != 0) {
            throw new FeeValidationException(p + ".shareBps", "must be 0 for a " + r.method() + " role (shares are for PERCENT roles), was " + r.shareBps());
        }
        if (r.method() == ShareMethod.FIXED) {
            if (!r.tiers().isEmpty()) throw new FeeValidationException(p + ".tiers", "must be empty for a FIXED role");
            if (r.tierMode() != null) throw new FeeValidationException(p + ".tierMode", "must be null for a FIXED role");
            Checks.range(r.fixedPaise(), 0, Limits.MAX_AMOUNT_PAISE, p + ".fixedPaise");
            return Tiers.flat(0, r.fixedPaise());
        }
        if (r.fixedPaise() != 0) throw new FeeValidationException(p + ".fixedPaise", "must be 0 for a TIERED role (use the tiers' fixedPaise)");
        Tiers.validate(r.tiers(), r.tierMode(), p, Checks::bps);
        return Tiers.of(r.tiers(), r.tierMode());
    }

    private String rolePath(int i) {
        return path + "[" + i + "]";
    }

    private String memberPath(int i, int j) {
        return rolePath(i) + ".members[" + j + "]";
    }

    private static boolean validName(String s) {
        return s != null && s.length() <= Limits.MAX_NAME_LENGTH && !s.isBlank();
    }

    private static String nameProblem(String s) {
        if (s == null) return "is required";
        if (s.isBlank()) return "must not be blank";
        return "must be at most " + Limits.MAX_NAME_LENGTH + " characters";
    }

    private static List<RoleSplit> nonNull(List<RoleSplit> roles, String path) {
        for (int i = 0; i < roles.size(); i++) {
            if (roles.get(i) == null) throw new FeeValidationException(path + "[" + i + "]", "is required");
        }
        return roles;
    }

    public List<RoleSplit> roles() {
        return roles;
    }

    /** Splits {@code netPaise} (0..10^12); see {@link SplitEngine#splitRevenueAcrossRoles}. */
    public List<RoleAllocation> split(long netPaise) {
        Checks.range(netPaise, 0, Limits.MAX_AMOUNT_PAISE, "netPaise");
        int[] rates = allPercent ? null : new int[roles.size()];
        long[] roleAmounts = allPercent ? SplitEngine.allocate(netPaise, shares, Limits.BPS_ONE) : mixed(netPaise, rates);
        RoleAllocation[] out = new RoleAllocation[roles.size()];
        for (int i = 0; i < out.length; i++) {
            RoleSplit r = roles.get(i);
            long amount = roleAmounts[i];
            String[] ids = userIds[i];
            int shareBps = rates == null || served[i] == null ? r.shareBps() : rates[i];
            if (ids.length == 0) { // a memberless role of a quote
                out[i] = new RoleAllocation(r.role(), shareBps, amount, List.of());
                continue;
            }
            MemberAllocation[] ms = new MemberAllocation[ids.length];
            switch (r.mode()) {
                case EQUAL -> {
                    long q = amount / ids.length;
                    long extra = amount - q * ids.length; // equal remainders: the first `extra` members get +1
                    for (int j = 0; j < ids.length; j++) ms[j] = new MemberAllocation(ids[j], j < extra ? q + 1 : q);
                }
                case WEIGHTED -> {
                    long[] parts = SplitEngine.allocate(amount, weights[i], weightTotals[i]);
                    for (int j = 0; j < ids.length; j++) ms[j] = new MemberAllocation(ids[j], parts[j]);
                }
                case FIXED -> {
                    if (weightTotals[i] != amount) {
                        throw new FeeValidationException(path + "[" + i + "].members", "FIXED amounts total " + weightTotals[i]
                                + " paise but role '" + r.role() + "' receives " + amount + " paise");
                    }
                    for (int j = 0; j < ids.length; j++) ms[j] = new MemberAllocation(ids[j], weights[i][j]);
                }
            }
            out[i] = new RoleAllocation(r.role(), shareBps, amount, List.of(ms));
        }
        return List.of(out);
    }

    /**
     * Role amounts when some roles are FIXED or TIERED. Every role's exact amount is a fraction over
     * 10^8: a FIXED or TIERED role's e_i / 10^4 (e_i its exact tier numerator), and a PERCENT role's
     * R × s_j / 10^8 where R = net × 10^4 − Σ e_i (what the served roles leave, × 10^4). These add up
     * to the net exactly. Each role gets the floor of its exact amount; the paise left over (fewer
     * than the number of roles) go one each to the largest fractional remainders, ties to the
     * earlier-listed role — the same largest-remainder rule as the PERCENT-only split.
     *
     * @param rates out: the rate of the band the net fell in, for TIERED roles (0 for FIXED)
     */
    private long[] mixed(long net, int[] rates) {
        int n = roles.size();
        long[] amount = new long[n];
        long[] rem = new long[n]; // fractional remainder in units of 10^-8 paise
        long taken = 0;           // Σ e_i (× 10^4)
        for (int i = 0; i < n; i++) {
            Tiers t = served[i];
            if (t == null) continue;
            int band = t.band(net);
            long e = t.exact(net, band);
            rates[i] = t.rate[band];
            amount[i] = e / ONE;
            rem[i] = (e % ONE) * ONE;
            taken = Math.addExact(taken, e);
        }
        long left = Math.multiplyExact(net, ONE) - taken; // R
        if (left < 0) {
            throw new FeeValidationException(path, "the FIXED and TIERED roles take " + (taken / ONE) + (taken % ONE == 0 ? "" : "+")
                    + " paise, more than the net of " + net + " paise");
        }
        long a = left / ONE;
        long b = left % ONE;
        long given = 0;
        for (int i = 0; i < n; i++) {
            if (served[i] == null) {
                // R × s / 10^8 with R = a × 10^4 + b, in longs: a × s ≤ 10^16, b × s < 10^8
                long x = a * shares[i];
                long low = (x % ONE) * ONE + b * shares[i]; // < 2 × 10^8
                amount[i] = x / ONE + low / ONE_SQUARED;
                rem[i] = low % ONE_SQUARED;
            }
            given += amount[i];
        }
        for (long k = net - given; k > 0; k--) {
            int best = -1;
            for (int i = 0; i < n; i++) if (rem[i] >= 0 && (best < 0 || rem[i] > rem[best])) best = i;
            amount[best]++;
            rem[best] = -1;
        }
        return amount;
    }
}
