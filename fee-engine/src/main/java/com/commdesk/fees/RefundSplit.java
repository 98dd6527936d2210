package com.commdesk.fees;

/**
 * The arithmetic of a refund (or chargeback) of part or all of a payment, exact to the paisa:
 * how much of each part of the original payment it gives back, who bears what, and how each
 * member's share is taken. The ledger reads the state (what is still unrefunded, balances) and
 * books the result; nothing here reads or writes anything.
 */
public final class RefundSplit {
    private RefundSplit() {}

    /** A payment's parts: GST on the sale, gateway fee + its GST, platform fee as charged, TCS, TDS, net. */
    public record Parts(long gst, long gateway, long platform, long tcs, long tds, long net) {
        public long[] toArray() {
            return new long[] {gst, gateway, platform, tcs, tds, net};
        }

        public static Parts of(long[] p) {
            if (p.length != 6) throw new FeeValidationException("parts", "six parts expected, got " + p.length);
            return new Parts(p[0], p[1], p[2], p[3], p[4], p[5]);
        }

        public long total() {
            return Math.addExact(Math.addExact(Math.addExact(gst, gateway), Math.addExact(platform, tcs)), Math.addExact(tds, net));
        }
    }

    /**
     * Splits {@code amountPaise} over what is still unrefunded of each part, by largest remainder: no
     * part is ever refunded beyond its original, and the refund that completes the payment lands every
     * part exactly on its original however earlier ones rounded.
     */
    public static Parts parts(long amountPaise, Parts unrefunded) {
        if (amountPaise > unrefunded.total()) {
            throw new FeeValidationException("amountPaise", amountPaise + " exceeds the " + unrefunded.total() + " paise still refundable");
        }
        return Parts.of(Proportional.split(amountPaise, unrefunded.toArray()));
    }

    /**
     * What the community gives back: the net part, plus the platform part when the platform keeps its
     * fee, plus the gateway part when the community bears Cashfree's kept fee.
     */
    public static long communityCharge(Parts refunded, boolean platformFeeRefunded, boolean platformBearsGateway) {
        long c = refunded.net();
        if (!platformFeeRefunded) c = Math.addExact(c, refunded.platform());
        if (!platformBearsGateway) c = Math.addExact(c, refunded.gateway());
        return c;
    }

    /**
     * The community's charge over its members: in proportion to what each has not yet given back of
     * this payment when that covers it (so a full refund restores every member exactly), else in
     * proportion to their original shares.
     */
    public static long[] members(long communityCharge, long[] notYetGivenBack, long[] shares) {
        long left = 0;
        for (long x : notYetGivenBack) left = Math.addExact(left, x);
        return Proportional.split(communityCharge, communityCharge <= left ? notYetGivenBack : shares);
    }

    /** Where one member's part comes from: this payment's own unreleased pending money, then available, the rest is owed. */
    public record Take(long fromPending, long fromAvailable, long toReceivable) {}

    public static Take take(long owedPaise, long pendingOfThisPayment, long availablePaise) {
        if (owedPaise < 0 || pendingOfThisPayment < 0 || availablePaise < 0) {
            throw new FeeValidationException("take", "amounts must be >= 0");
        }
        long p = Math.min(pendingOfThisPayment, owedPaise);
        long a = Math.min(availablePaise, owedPaise - p);
        return new Take(p, a, owedPaise - p - a);
    }
}
