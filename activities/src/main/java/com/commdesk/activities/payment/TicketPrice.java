package com.commdesk.activities.payment;

import com.commdesk.fees.FeeValidationException;
import com.commdesk.fees.Limits;
import java.util.Map;

/**
 * The optional ticket price of a payment, from the order tag {@value #TAG} (docs/fees.md, "Who bears
 * each fee"). When a rule makes the customer bear a fee, the customer pays the ticket price plus a
 * convenience fee; the fee calculation needs the ticket price to check that and to price the payment,
 * and rule conditions on {@code amountPaise} see the ticket price. Absent: the amount paid is the
 * ticket price.
 */
final class TicketPrice {
    static final String TAG = "ticket_price_paise";

    private TicketPrice() {}

    /** The tag as whole paise 1..10^12, null when absent; anything else fails on "metadata.ticket_price_paise". */
    static Long of(Map<String, String> metadata) {
        String v = metadata == null ? null : metadata.get(TAG);
        if (v == null) return null;
        String field = "metadata." + TAG;
        Long whole = wholePaise(v);
        if (whole == null) throw new FeeValidationException(field, "must be a whole number of paise, was '" + v + "'");
        long paise = whole;
        if (paise < 1 || paise > Limits.MAX_AMOUNT_PAISE) {
            throw new FeeValidationException(field, "must be 1.." + Limits.MAX_AMOUNT_PAISE + " paise, was " + paise);
        }
        return paise;
    }

    /** {@code value} as a whole number of paise (digits only, at most 13), else null (absent, or not whole paise). */
    static Long wholePaise(String value) {
        if (value == null || value.isEmpty() || value.length() > 13 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) return null;
        return Long.parseLong(value);
    }
}
