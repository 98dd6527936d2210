package com.commdesk.fees;

/** What one member receives, in paise. */
public record MemberAllocation(String userId, long amountPaise) {}
