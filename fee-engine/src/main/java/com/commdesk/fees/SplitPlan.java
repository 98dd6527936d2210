package com.commdesk.fees;

import java.util.List;

/**
 * A validated list of {@link RoleSplit}s, ready to split any net amount. Immutable and thread-safe.
 * Rules: 1..64 roles, unique names (case-insensitive), shares 0..10000 bps totalling exactly 10000,
 * each role 1..10,000 members with unique user ids (case-insensitive); WEIGHTED weights 1..10^6;
 * FIXED amounts 0..10^12 that must sum exactly to the role's amount when split.
 */
public final class SplitPlan {
    private final List<RoleSplit> roles;
    private final String path;
    private final long[] shares;
    private final long[][] weights;   // per role: member weights (EQUAL: null, FIXED: fixed amounts)
    private final long[] weightTotals;
    private final String[][] userIds;

    public SplitPlan(List<RoleSplit> roles, String path) {
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
        long total = 0;
        // Field paths are only built when something is wrong: this runs once per quote for default roles.
        for (int i = 0; i < n; i++) {
            RoleSplit r = this.roles.get(i);
            if (!validName(r.role())) throw new FeeValidationException(rolePath(i) + ".role", nameProblem(r.role()));
            for (int j = 0; j < i; j++) {
                if (CaseFold.equal(this.roles.get(j).role(), r.role())) {
                    throw new FeeValidationException(rolePath(i) + ".role", "duplicate role '" + r.role() + "' (names are case-insensitive)");
                }
            }
            if (r.shareBps() < 0 || r.shareBps() > Limits.BPS_ONE) Checks.bps(r.shareBps(), rolePath(i) + ".shareBps");
            shares[i] = r.shareBps();
            total += r.shareBps();
            MemberSplitMode mode = r.mode();
            if (mode == null) throw new FeeValidationException(rolePath(i) + ".mode", "is required");
            List<MemberShare> members = r.members();
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
        if (total != Limits.BPS_ONE) {
            throw new FeeValidationException(path, "role shares must total exactly 10000 bps, total " + total);
        }
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
        long[] roleAmounts = SplitEngine.allocate(netPaise, shares, Limits.BPS_ONE);
        RoleAllocation[] out = new RoleAllocation[roles.size()];
        for (int i = 0; i < out.length; i++) {
            RoleSplit r = roles.get(i);
            long amount = roleAmounts[i];
            String[] ids = userIds[i];
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
            out[i] = new RoleAllocation(r.role(), r.shareBps(), amount, List.of(ms));
        }
        return List.of(out);
    }
}
