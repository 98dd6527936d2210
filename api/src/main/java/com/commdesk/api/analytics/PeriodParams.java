package com.commdesk.api.analytics;

import com.commdesk.api.web.ApiProblem;
import com.commdesk.ledger.analytics.Granularity;
import com.commdesk.ledger.analytics.Period;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Query parameters shared by the analytics endpoints, turned into values or a 400 problem naming the
 * parameter: {@code from}/{@code to} (ISO dates, India time, inclusive) or {@code month} (YYYY-MM);
 * neither means the current month in India. {@code by} is {@code day} or {@code month}.
 */
public final class PeriodParams {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

    private PeriodParams() {}

    public static Period period(String from, String to, String month) {
        if (month != null && (from != null || to != null)) throw ApiProblem.invalid("month", "give month or from/to, not both");
        if (month != null) return Period.of(month(month));
        if (from == null && to == null) return Period.of(YearMonth.now(Period.INDIA));
        if (from == null || to == null) throw ApiProblem.invalid(from == null ? "from" : "to", "from and to go together (YYYY-MM-DD)");
        try {
            return new Period(date("from", from), date("to", to));
        } catch (IllegalArgumentException e) {
            throw ApiProblem.invalid("to", e.getMessage());
        }
    }

    public static YearMonth month(String month) {
        try {
            return YearMonth.parse(month);
        } catch (DateTimeParseException e) {
            throw ApiProblem.invalid("month", "month must be YYYY-MM, got '" + month + "'");
        }
    }

    public static Granularity by(String by) {
        return switch (by.toLowerCase(Locale.ROOT)) {
            case "day" -> Granularity.DAY;
            case "month" -> Granularity.MONTH;
            default -> throw ApiProblem.invalid("by", "by must be day or month");
        };
    }

    public static String id(String field, String value) {
        if (value == null || !ID.matcher(value).matches()) throw ApiProblem.invalid(field, field + " is not a valid id");
        return value;
    }

    public static int limit(int limit, int max) {
        if (limit < 1 || limit > max) throw ApiProblem.invalid("limit", "limit must be 1.." + max);
        return limit;
    }

    private static LocalDate date(String field, String value) {
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiProblem.invalid(field, field + " must be YYYY-MM-DD, got '" + value + "'");
        }
    }
}
