package com.commdesk.fees;

/**
 * Tax collected/deducted at source on one payment, both on {@code taxablePaise} = amount − GST.
 *
 * @param tcsPaise CGST s.52 TCS by the e-commerce operator
 * @param tdsPaise Income-tax s.194-O TDS
 */
public record Withholding(long taxablePaise, long tcsPaise, long tdsPaise) {
    public long totalPaise() {
        return tcsPaise + tdsPaise;
    }
}
