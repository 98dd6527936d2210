package com.commdesk.api.ledger;

import com.commdesk.api.web.ApiProblem;
import com.commdesk.api.web.Caller;

import com.commdesk.ledger.LedgerInvariants;
import com.commdesk.ledger.TaxReports;
import com.commdesk.ledger.WalletStatements;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Read side for finance: invariants, wallet statements, monthly tax reports (JSON or CSV). */
@RestController
@RequestMapping("/api/v1")
public class ReportsController {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    private static final MediaType CSV = MediaType.parseMediaType("text/csv;charset=UTF-8");

    private final LedgerInvariants invariants;
    private final WalletStatements statements;
    private final TaxReports reports;

    public ReportsController(LedgerInvariants invariants, WalletStatements statements, TaxReports reports) {
        this.invariants = invariants;
        this.statements = statements;
        this.reports = reports;
    }

    /** Re-derives the books from the postings; {@code holds} is false with the violations listed. */
    @GetMapping(path = "/ledger/invariants", produces = MediaType.APPLICATION_JSON_VALUE)
    public LedgerInvariants.Report invariants() {
        return invariants.check();
    }

    @GetMapping(path = "/wallets/{communityId}/members/{userId}/statement", produces = MediaType.APPLICATION_JSON_VALUE)
    public WalletStatements.Page memberStatement(@PathVariable String communityId, @PathVariable String userId,
                                                 @RequestParam(defaultValue = "0") long after,
                                                 @RequestParam(defaultValue = "100") int limit) {
        Caller.current().requireMemberOrCommunity(id("communityId", communityId), id("userId", userId));
        return statements.member(communityId, userId, cursor(after), limit(limit));
    }

    @GetMapping(path = "/wallets/{communityId}/statement", produces = MediaType.APPLICATION_JSON_VALUE)
    public WalletStatements.Page communityStatement(@PathVariable String communityId,
                                                    @RequestParam(defaultValue = "0") long after,
                                                    @RequestParam(defaultValue = "100") int limit) {
        Caller.current().requireCommunity(id("communityId", communityId));
        return statements.community(communityId, cursor(after), limit(limit));
    }

    @GetMapping(path = "/reports/gst/{month}")
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "the month's GST summary", content = {
            @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/json",
                    schema = @io.swagger.v3.oas.annotations.media.Schema(implementation = TaxReports.GstSummary.class)),
            @io.swagger.v3.oas.annotations.media.Content(mediaType = "text/csv",
                    schema = @io.swagger.v3.oas.annotations.media.Schema(type = "string"))})
    public ResponseEntity<?> gst(@PathVariable String month, @RequestParam(defaultValue = "json") String format) {
        TaxReports.GstSummary s = reports.monthlyGst(month(month));
        if (!csv(format)) return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(s);
        StringBuilder out = new StringBuilder("line,cgst_paise,sgst_paise,igst_paise,total_paise\n");
        row(out, "output_gst", s.outputGst());
        row(out, "input_credit_on_gateway_fees", s.inputCreditOnGatewayFees());
        row(out, "platform_gst", s.platformGst());
        out.append("platform_fee_income,,,,").append(s.platformFeeIncomePaise()).append('\n')
                .append("gateway_fees,,,,").append(s.gatewayFeesPaise()).append('\n')
                .append("tcs,,,,").append(s.tcsPaise()).append('\n')
                .append("tds,,,,").append(s.tdsPaise()).append('\n');
        return csvResponse("gst-" + s.month() + ".csv", out.toString());
    }

    @GetMapping(path = "/reports/withholding/{month}")
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "the month's TCS/TDS register", content = {
            @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/json",
                    array = @io.swagger.v3.oas.annotations.media.ArraySchema(
                            schema = @io.swagger.v3.oas.annotations.media.Schema(implementation = TaxReports.WithholdingLine.class))),
            @io.swagger.v3.oas.annotations.media.Content(mediaType = "text/csv",
                    schema = @io.swagger.v3.oas.annotations.media.Schema(type = "string"))})
    public ResponseEntity<?> withholding(@PathVariable String month, @RequestParam(defaultValue = "json") String format) {
        List<TaxReports.WithholdingLine> lines = reports.withholdingRegister(month(month));
        if (!csv(format)) return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(lines);
        StringBuilder out = new StringBuilder("transaction_id,community_id,posted_at,gross_paise,taxable_value_paise,tcs_paise,tds_paise,reversed\n");
        for (TaxReports.WithholdingLine l : lines) {
            out.append(l.transactionId()).append(',').append(l.communityId()).append(',').append(l.postedAt()).append(',')
                    .append(l.grossPaise()).append(',').append(l.taxableValuePaise()).append(',').append(l.tcsPaise()).append(',')
                    .append(l.tdsPaise()).append(',').append(l.reversed()).append('\n');
        }
        return csvResponse("tcs-tds-" + month + ".csv", out.toString());
    }

    private static void row(StringBuilder out, String name, TaxReports.Heads h) {
        out.append(name).append(',').append(h.cgstPaise()).append(',').append(h.sgstPaise()).append(',')
                .append(h.igstPaise()).append(',').append(h.totalPaise()).append('\n');
    }

    private static ResponseEntity<String> csvResponse(String filename, String body) {
        return ResponseEntity.ok().contentType(CSV)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + filename + "\"").body(body);
    }

    private static boolean csv(String format) {
        return switch (format) {
            case "csv" -> true;
            case "json" -> false;
            default -> throw ApiProblem.invalid("format", "format must be json or csv");
        };
    }

    private static YearMonth month(String month) {
        try {
            return YearMonth.parse(month);
        } catch (DateTimeParseException e) {
            throw ApiProblem.invalid("month", "month must be YYYY-MM, got '" + month + "'");
        }
    }

    private static String id(String field, String value) {
        if (!ID.matcher(value).matches()) throw ApiProblem.invalid(field, field + " is not a valid id");
        return value;
    }

    private static long cursor(long after) {
        if (after < 0) throw ApiProblem.invalid("after", "after must be a posting id >= 0");
        return after;
    }

    private static int limit(int limit) {
        if (limit < 1 || limit > WalletStatements.MAX_PAGE) {
            throw ApiProblem.invalid("limit", "limit must be 1.." + WalletStatements.MAX_PAGE);
        }
        return limit;
    }
}
