package com.commdesk.fees;

/** A percentage in basis points plus a fixed amount in paise: fee = base × rateBps / 10000 + fixedPaise. */
public record FeeRate(int rateBps, long fixedPaise) {
    public static FeeRate bps(int rateBps) {
        return new FeeRate(rateBps, 0L);
    }
}
