package com.commdesk.ledger.analytics;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;

/**
 * A run of whole calendar days in India time, {@code from} to {@code to} inclusive: the unit every
 * dashboard figure is asked for (a day, a week, a month, a custom range). At most {@link #MAX_DAYS}.
 */
public record Period(LocalDate from, LocalDate to) {
    public static final ZoneId INDIA = ZoneId.of("Asia/Kolkata");
    /** Longer than a leap year, so a year-on-year view fits; longer ranges are refused. */
    public static final int MAX_DAYS = 732;

    public Period {
        if (from == null || to == null) throw new IllegalArgumentException("a period needs from and to");
        if (to.isBefore(from)) throw new IllegalArgumentException("to (" + to + ") is before from (" + from + ")");
        if (ChronoUnit.DAYS.between(from, to) + 1 > MAX_DAYS) {
            throw new IllegalArgumentException("a period is at most " + MAX_DAYS + " days");
        }
    }

    public static Period of(YearMonth month) {
        return new Period(month.atDay(1), month.atEndOfMonth());
    }

    public static Period day(LocalDate day) {
        return new Period(day, day);
    }

    /** The first instant of the period (midnight IST at the start of {@code from}). */
    public OffsetDateTime startInstant() {
        return from.atStartOfDay(INDIA).toOffsetDateTime();
    }

    /** The first instant after the period (midnight IST after {@code to}). */
    public OffsetDateTime endInstant() {
        return to.plusDays(1).atStartOfDay(INDIA).toOffsetDateTime();
    }

    /** The calendar month, if the period is exactly one. */
    public java.util.Optional<YearMonth> asMonth() {
        YearMonth m = YearMonth.from(from);
        return from.equals(m.atDay(1)) && to.equals(m.atEndOfMonth()) ? java.util.Optional.of(m) : java.util.Optional.empty();
    }

    public long days() {
        return ChronoUnit.DAYS.between(from, to) + 1;
    }

    /** Today in India time. */
    public static LocalDate todayInIndia() {
        return LocalDate.now(INDIA);
    }
}
