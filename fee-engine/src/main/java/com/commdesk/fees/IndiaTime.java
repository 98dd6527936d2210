package com.commdesk.fees;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;

/**
 * The business calendar: India time (Asia/Kolkata, no daylight saving). Payout cycles are cut at
 * midnight IST, tax months are IST calendar months, rule dates are IST dates. Pure: every method
 * takes the instant it works from.
 */
public final class IndiaTime {
    public static final ZoneId ZONE = ZoneId.of("Asia/Kolkata");

    private IndiaTime() {}

    /** The IST calendar date of an instant. */
    public static LocalDate date(Instant at) {
        return LocalDate.ofInstant(at, ZONE);
    }

    /** The first instant of an IST calendar month. */
    public static Instant monthStart(YearMonth month) {
        return month.atDay(1).atStartOfDay(ZONE).toInstant();
    }

    /**
     * The next payout cut-off strictly after {@code after} under a community's payout policy: DAILY the
     * next midnight IST, WEEKLY the next Monday midnight IST, INSTANT the next multiple of
     * {@code instantInterval} since the epoch; MANUAL has none (null).
     */
    public static Instant nextCutOff(String payoutPolicy, Instant after, Duration instantInterval) {
        return switch (payoutPolicy) {
            case "DAILY" -> date(after).plusDays(1).atStartOfDay(ZONE).toInstant();
            case "WEEKLY" -> date(after).with(TemporalAdjusters.next(DayOfWeek.MONDAY)).atStartOfDay(ZONE).toInstant();
            case "INSTANT" -> {
                long step = instantInterval.toMillis();
                if (step <= 0) throw new FeeValidationException("instantInterval", "must be positive, got " + instantInterval);
                yield Instant.ofEpochMilli(Math.multiplyExact(Math.floorDiv(after.toEpochMilli(), step) + 1, step));
            }
            case "MANUAL" -> null;
            default -> throw new FeeValidationException("payoutPolicy", "unknown payout policy " + payoutPolicy);
        };
    }
}
