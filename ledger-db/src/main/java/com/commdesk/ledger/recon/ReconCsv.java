package com.commdesk.ledger.recon;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads Cashfree's settlement reconciliation file (CSV, RFC 4180 quoting). Columns are found by
 * header name, in any order; headers are compared after lower-casing and turning spaces and
 * hyphens into underscores, so both the API's names ({@code cf_settlement_id}) and the dashboard
 * export's ({@code CF Settlement ID}) work. Amounts are rupees with at most two decimals and become
 * paise exactly; anything else is refused with the line number.
 *
 * <p>Required: {@code cf_settlement_id}, {@code event_type}, {@code event_amount},
 * {@code payment_service_charge}, {@code payment_service_tax}, {@code event_settlement_amount}, and
 * {@code order_id} or {@code cf_payment_id}. Optional: {@code settlement_utr}, {@code event_time}.
 */
public final class ReconCsv {
    public static final int MAX_LINES = 100_000;
    public static final int MAX_BYTES = 32 << 20;
    private static final ZoneOffset IST = ZoneOffset.ofHoursMinutes(5, 30);

    private ReconCsv() {}

    public static List<ReconLine> parse(String text) {
        if (text.length() > MAX_BYTES) throw new ReconciliationFailure(ReconciliationFailure.Code.INVALID, "file is larger than " + MAX_BYTES + " bytes");
        List<List<String>> rows = rows(text);
        if (rows.isEmpty()) throw invalid(1, "the file is empty");
        Map<String, Integer> col = new HashMap<>();
        List<String> header = rows.get(0);
        for (int i = 0; i < header.size(); i++) {
            col.putIfAbsent(header.get(i).strip().replace("\uFEFF", "").toLowerCase(Locale.ROOT).replaceAll("[ \\-]+", "_"), i);
        }
        for (String required : List.of("cf_settlement_id", "event_type", "event_amount", "payment_service_charge",
                "payment_service_tax", "event_settlement_amount")) {
            if (!col.containsKey(required)) throw invalid(1, "missing column " + required);
        }
        if (!col.containsKey("order_id") && !col.containsKey("cf_payment_id")) throw invalid(1, "missing column order_id or cf_payment_id");
        if (rows.size() - 1 > MAX_LINES) throw invalid(MAX_LINES + 2, "more than " + MAX_LINES + " lines");
        List<ReconLine> lines = new ArrayList<>(rows.size() - 1);
        for (int r = 1; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            if (row.size() == 1 && row.get(0).isBlank()) continue;
            int lineNo = r + 1;
            try {
                lines.add(new ReconLine(get(row, col, "cf_settlement_id"), get(row, col, "settlement_utr"), get(row, col, "event_type"),
                        get(row, col, "order_id"), get(row, col, "cf_payment_id"),
                        paise(get(row, col, "event_amount"), "event_amount"),
                        paise(get(row, col, "payment_service_charge"), "payment_service_charge"),
                        paise(get(row, col, "payment_service_tax"), "payment_service_tax"),
                        paise(get(row, col, "event_settlement_amount"), "event_settlement_amount"),
                        time(get(row, col, "event_time"))));
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw invalid(lineNo, e.getMessage());
            }
        }
        return lines;
    }

    /** Rupees text ("1,234.50" or "1234.5") to paise; blank is 0 (Cashfree leaves zero charges empty). */
    static long paise(String text, String field) {
        if (text == null || text.isBlank()) return 0;
        try {
            return new BigDecimal(text.strip().replace(",", "")).movePointRight(2).longValueExact();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + " '" + text + "' is not an amount");
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(field + " " + text + " is not a whole number of paise");
        }
    }

    static OffsetDateTime time(String text) {
        if (text == null || text.isBlank()) return null;
        String s = text.strip();
        try {
            return OffsetDateTime.parse(s);
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(s.replace(' ', 'T')).atOffset(IST); // the dashboard's local times are IST
            } catch (DateTimeParseException e2) {
                throw new IllegalArgumentException("event_time '" + s + "' is not a date-time");
            }
        }
    }

    private static String get(List<String> row, Map<String, Integer> col, String name) {
        Integer i = col.get(name);
        return i == null || i >= row.size() ? null : row.get(i);
    }

    private static ReconciliationFailure invalid(int line, String why) {
        return new ReconciliationFailure(ReconciliationFailure.Code.INVALID, "recon file line " + line + ": " + why);
    }

    /** RFC 4180: fields separated by commas, optionally double-quoted ("" is a quote), CRLF or LF. */
    static List<List<String>> rows(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            any = true;
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') i++;
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                any = false;
            } else {
                field.append(c);
            }
        }
        if (quoted) throw invalid(rows.size() + 1, "unterminated quoted field");
        if (any) {
            row.add(field.toString());
            rows.add(row);
        }
        return rows;
    }
}
