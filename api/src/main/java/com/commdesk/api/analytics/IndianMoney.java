package com.commdesk.api.analytics;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Money and time as Indian readers expect them, from exact values only: paise become rupees with
 * Indian digit grouping (the last three digits, then pairs: 1,23,45,678.90) by integer arithmetic,
 * never through a floating-point number; instants are shown in India time (IST).
 */
public final class IndianMoney {
    public static final ZoneId IST = ZoneId.of("Asia/Kolkata");
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("d MMM uuuu, HH:mm 'IST'", Locale.ENGLISH);

    private IndianMoney() {}

    /** 12345678 paise → "1,23,456.78"; negative amounts keep their sign ("-0.05"). */
    public static String amount(long paise) {
        boolean negative = paise < 0;
        // Long.MIN_VALUE has no positive counterpart: split it before negating.
        long rupees = negative ? -(paise / 100) : paise / 100;
        long fraction = Math.abs(paise % 100);
        String digits = Long.toString(rupees);
        StringBuilder out = new StringBuilder();
        int n = digits.length();
        if (n <= 3) {
            out.append(digits);
        } else {
            String head = digits.substring(0, n - 3);
            int first = head.length() % 2 == 0 ? 2 : 1;
            out.append(head, 0, first);
            for (int i = first; i < head.length(); i += 2) out.append(',').append(head, i, i + 2);
            out.append(',').append(digits, n - 3, n);
        }
        out.append('.').append(fraction < 10 ? "0" : "").append(fraction);
        return (negative ? "-" : "") + out;
    }

    /** Without grouping, for machines: 12345678 paise → "123456.78". */
    public static String plain(long paise) {
        return amount(paise).replace(",", "");
    }

    /** With the rupee sign: "₹1,23,456.78", "-₹50.00". */
    public static String rupees(long paise) {
        String a = amount(paise);
        return a.startsWith("-") ? "-\u20B9" + a.substring(1) : "\u20B9" + a;
    }

    /** "5 Nov 2026, 14:30 IST". */
    public static String ist(OffsetDateTime at) {
        return at == null ? "" : DATE_TIME.format(at.atZoneSameInstant(IST));
    }
}
