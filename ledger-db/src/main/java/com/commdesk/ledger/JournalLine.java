package com.commdesk.ledger;

/**
 * One posting before it is written: a signed amount on an account (debit > 0, credit < 0).
 * {@code kind}, {@code communityId}, {@code role}, {@code userId} describe the account if it has to
 * be created; {@code bucket} is set for member wallet accounts.
 */
public record JournalLine(String accountCode, String kind, String purpose, String communityId, String role,
                          String userId, AccountCodes.WalletBucket bucket, long amountPaise) {
    public JournalLine {
        if (amountPaise == 0) throw new IllegalArgumentException("a posting of 0 paise on " + accountCode);
    }

    /** A line on a system account (seeded by the changelog; not a member's or a community's). */
    static JournalLine system(String code, String kind, String purpose, long amountPaise) {
        return new JournalLine(code, kind, purpose, null, null, null, null, amountPaise);
    }

    public JournalLine negated() {
        return new JournalLine(accountCode, kind, purpose, communityId, role, userId, bucket, Math.negateExact(amountPaise));
    }
}
