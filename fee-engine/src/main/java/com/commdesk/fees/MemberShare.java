package com.commdesk.fees;

/**
 * One member of a role. {@code weight} is used by WEIGHTED (1..10^6), {@code fixedPaise} by FIXED;
 * both are ignored by EQUAL.
 */
public record MemberShare(String userId, long weight, long fixedPaise) {
    public static MemberShare of(String userId) {
        return new MemberShare(userId, 1, 0);
    }
}
