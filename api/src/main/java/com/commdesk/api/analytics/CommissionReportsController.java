package com.commdesk.api.analytics;


import com.commdesk.api.web.ApiProblem;
import com.commdesk.ledger.analytics.Period;
import com.commdesk.ledger.analytics.reports.CommissionProjections;
import com.commdesk.ledger.analytics.reports.OperationalReports;
import java.time.YearMonth;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Seed 002's reports: commission income projections by source and period, distribution summaries by
 * role and recipient, rule effectiveness, reconciliation exception tracking, and the audit trail of
 * which rule and split applied to each transaction. docs/analytics.md.
 */
@RestController
@RequestMapping(path = "/api/v1/reports", produces = MediaType.APPLICATION_JSON_VALUE)
public class CommissionReportsController {
    private final CommissionProjections projections;
    private final OperationalReports reports;
    private final AnalyticsAccess access;

    public CommissionReportsController(CommissionProjections projections, OperationalReports reports, AnalyticsAccess access) {
        this.projections = projections;
        this.reports = reports;
        this.access = access;
    }

    @GetMapping("/commission-projections")
    public CommissionProjections.Report projections(@RequestParam(required = false) String communityId,
                                                    @RequestParam(required = false) String asOf,
                                                    @RequestParam(defaultValue = "6") int months, @RequestParam(defaultValue = "3") int ahead) {
        String c = scope(communityId);
        if (months < 1 || months > 24) throw ApiProblem.invalid("months", "months must be 1..24");
        if (ahead < 1 || ahead > 12) throw ApiProblem.invalid("ahead", "ahead must be 1..12");
        YearMonth when = asOf == null ? YearMonth.now(Period.INDIA) : PeriodParams.month(asOf);
        return projections.project(c, when, months, ahead);
    }

    @GetMapping("/distributions")
    public OperationalReports.Distributions distributions(@RequestParam String communityId, @RequestParam(required = false) String from,
                                                          @RequestParam(required = false) String to,
                                                          @RequestParam(required = false) String month) {
        String c = access.community(communityId);
        return reports.distributions(c, PeriodParams.period(from, to, month));
    }

    @GetMapping("/rule-effectiveness")
    public List<OperationalReports.RuleEffectiveness> ruleEffectiveness(@RequestParam(required = false) String from,
                                                                        @RequestParam(required = false) String to,
                                                                        @RequestParam(required = false) String month) {
        access.platform();
        return reports.ruleEffectiveness(PeriodParams.period(from, to, month));
    }

    @GetMapping("/reconciliation-exceptions")
    public OperationalReports.ReconTracking reconciliation(@RequestParam(required = false) String from,
                                                           @RequestParam(required = false) String to,
                                                           @RequestParam(required = false) String month) {
        access.platform();
        return reports.reconTracking(PeriodParams.period(from, to, month));
    }

    @GetMapping("/rule-audit")
    public OperationalReports.AuditPage ruleAudit(@RequestParam(required = false) String communityId,
                                                  @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                                                  @RequestParam(required = false) String month, @RequestParam(required = false) String after,
                                                  @RequestParam(defaultValue = "100") int limit) {
        String c = scope(communityId);
        try {
            return reports.ruleAudit(c, PeriodParams.period(from, to, month), after, PeriodParams.limit(limit, OperationalReports.MAX_PAGE));
        } catch (IllegalArgumentException e) {
            throw ApiProblem.invalid("after", e.getMessage());
        }
    }

    /** A community's report for its owner, or the platform's for finance. */
    private String scope(String communityId) {
        if (communityId == null) {
            access.platform();
            return null;
        }
        return access.community(communityId);
    }
}
