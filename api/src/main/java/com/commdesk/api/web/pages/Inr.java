package com.commdesk.api.web.pages;

import com.commdesk.api.analytics.IndianMoney;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.springframework.stereotype.Component;

/** Formatting for the templates ({@code ${@inr.rupees(x)}}): rupees with Indian grouping, India time. */
@Component("inr")
public class Inr {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM uuuu", Locale.ENGLISH);

    public String rupees(long paise) {
        return IndianMoney.rupees(paise);
    }

    public String ist(OffsetDateTime at) {
        return IndianMoney.ist(at);
    }

    /** An ISO-8601 instant as the API writes it (e.g. in JSON it passed through), in India time; empty when absent. */
    public String istText(String isoInstant) {
        return isoInstant == null || isoInstant.isBlank() || "null".equals(isoInstant) ? "" : IndianMoney.ist(OffsetDateTime.parse(isoInstant));
    }

    public String day(LocalDate day) {
        return day == null ? "" : DAY.format(day);
    }

    /** Basis points as a percentage with two decimals, by integer arithmetic: 1234 → "12.34 %". */
    public String percent(long bps) {
        return (bps / 100) + "." + String.format("%02d", Math.abs(bps % 100)) + " %";
    }
}
