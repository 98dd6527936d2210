package com.commdesk.api.analytics;


import com.commdesk.api.web.ApiProblem;
import com.commdesk.ledger.analytics.MonthlyStatements;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.time.YearMonth;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Monthly statements per community and for the platform: opening and closing balances, every tax
 * line, refunds, payouts; {@code format=json} (the numbers), {@code csv} or {@code pdf} (the same
 * numbers, from one {@link StatementDocument}).
 */
@RestController
@RequestMapping("/api/v1/statements")
public class StatementsController {
    static final MediaType CSV = MediaType.parseMediaType("text/csv;charset=UTF-8");

    private final MonthlyStatements statements;
    private final AnalyticsAccess access;

    public StatementsController(MonthlyStatements statements, AnalyticsAccess access) {
        this.statements = statements;
        this.access = access;
    }

    @GetMapping("/communities/{communityId}/{month}")
    @ApiResponse(responseCode = "200", description = "The statement: JSON, or the same numbers as CSV or PDF (format)", content = {
            @Content(mediaType = "application/json", schema = @Schema(implementation = MonthlyStatements.CommunityStatement.class)),
            @Content(mediaType = "text/csv", schema = @Schema(type = "string")),
            @Content(mediaType = "application/pdf", schema = @Schema(type = "string", format = "binary"))})
    public ResponseEntity<?> community(@PathVariable String communityId, @PathVariable String month,
                                       @RequestParam(defaultValue = "json") String format) {
        String c = access.community(communityId);
        YearMonth m = PeriodParams.month(month);
        Format f = Format.of(format);
        MonthlyStatements.CommunityStatement s = statements.community(c, m)
                .orElseThrow(() -> AnalyticsController.notFound("no community " + c));
        return respond(f, s, () -> Statements.community(s), "statement-" + c + "-" + m);
    }

    @GetMapping("/platform/{month}")
    @ApiResponse(responseCode = "200", description = "The platform's statement: JSON, or the same numbers as CSV or PDF (format)", content = {
            @Content(mediaType = "application/json", schema = @Schema(implementation = MonthlyStatements.PlatformStatement.class)),
            @Content(mediaType = "text/csv", schema = @Schema(type = "string")),
            @Content(mediaType = "application/pdf", schema = @Schema(type = "string", format = "binary"))})
    public ResponseEntity<?> platform(@PathVariable String month, @RequestParam(defaultValue = "json") String format,
                                      @RequestParam(defaultValue = "10") int top) {
        access.platform();
        YearMonth m = PeriodParams.month(month);
        Format f = Format.of(format);
        MonthlyStatements.PlatformStatement s = statements.platform(m, PeriodParams.limit(top, 100));
        return respond(f, s, () -> Statements.platform(s), "platform-statement-" + m);
    }

    enum Format {
        JSON, CSV, PDF;

        static Format of(String format) {
            return switch (format) {
                case "json" -> JSON;
                case "csv" -> CSV;
                case "pdf" -> PDF;
                default -> throw ApiProblem.invalid("format", "format must be json, csv or pdf");
            };
        }
    }

    private static ResponseEntity<?> respond(Format f, Object json, java.util.function.Supplier<StatementDocument> doc, String name) {
        return switch (f) {
            case JSON -> ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(json);
            case CSV -> ResponseEntity.ok().contentType(CSV)
                    .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + ".csv\"").body(doc.get().csvBytes());
            case PDF -> ResponseEntity.ok().contentType(MediaType.APPLICATION_PDF)
                    .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + ".pdf\"").body(doc.get().pdf());
        };
    }
}
