package com.commdesk.fees;

import java.util.Objects;

/** Validation helpers that throw {@link FeeValidationException} naming the field. */
final class Checks {
    private Checks() {}

    static <T> T notNull(T value, String field) {
        if (value == null) throw new FeeValidationException(field, "is required");
        return value;
    }

    static int bps(int value, String field) {
        if (value < 0 || value > Limits.BPS_ONE) {
            throw new FeeValidationException(field, "must be 0..10000 basis points, was " + value);
        }
        return value;
    }

    static long range(long value, long min, long max, String field) {
        if (value < min || value > max) {
            throw new FeeValidationException(field, "must be " + min + ".." + max + ", was " + value);
        }
        return value;
    }

    static String name(String value, int maxLength, String field) {
        notNull(value, field);
        if (value.isBlank()) throw new FeeValidationException(field, "must not be blank");
        if (value.length() > maxLength) {
            throw new FeeValidationException(field, "must be at most " + maxLength + " characters");
        }
        return value;
    }

    /** A rate-card / revenue-source key: 1..64 of [A-Za-z0-9_.-]. */
    static String key(String value, String field) {
        notNull(value, field);
        int n = value.length();
        if (n == 0 || n > Limits.MAX_KEY_LENGTH) {
            throw new FeeValidationException(field, "must be 1.." + Limits.MAX_KEY_LENGTH + " characters");
        }
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '-' || c == '.';
            if (!ok) throw new FeeValidationException(field, "may only contain A-Z a-z 0-9 _ - . but was '" + value + "'");
        }
        return value;
    }

    /** An optional short text: null/blank allowed, else at most maxLength. */
    static String optional(String value, int maxLength, String field) {
        if (value != null && value.length() > maxLength) {
            throw new FeeValidationException(field, "must be at most " + maxLength + " characters");
        }
        return value;
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    static String describe(Object o) {
        return Objects.toString(o);
    }
}
