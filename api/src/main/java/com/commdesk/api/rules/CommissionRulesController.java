package com.commdesk.api.rules;

import com.commdesk.api.web.ApiProblem;
import com.commdesk.api.web.Caller;

import com.commdesk.fees.FeeSchedule;
import com.commdesk.fees.RoleSplit;
import com.commdesk.fees.rules.CommissionRule;
import com.commdesk.fees.rules.Condition;
import com.commdesk.fees.rules.ConditionCodec;
import com.commdesk.ledger.rules.CommissionRuleException;
import com.commdesk.ledger.rules.CommissionRuleRepository;
import com.commdesk.ledger.rules.CommissionRuleRepository.AuditEntry;
import com.commdesk.ledger.rules.CommissionRuleRepository.Draft;
import com.commdesk.ledger.rules.CommissionRuleRepository.StoredRule;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Admin API for stored commission rules (docs/rules.md). Only a platform admin writes; who made a
 * change (the token's subject) goes into the audit trail. Every
 * save is checked against the platform-wide fee bounds.
 */
@RestController
@RequestMapping("/api/v1/admin/commission-rules")
public class CommissionRulesController {

    private final CommissionRuleRepository rules;

    public CommissionRulesController(CommissionRuleRepository rules) {
        this.rules = rules;
    }

    /** POST and PUT body. {@code ruleId} only on POST (on PUT it may repeat the path's id). */
    public record RuleBody(String ruleId, Integer priority, Instant effectiveFrom, Instant effectiveTo,
                           Map<String, Object> condition, FeeSchedule schedule, List<RoleInput> roles) {}

    public record RuleView(String ruleId, String status, int version, int priority, Instant effectiveFrom, Instant effectiveTo,
                           Map<String, Object> condition, FeeSchedule schedule, List<RoleSplit> roles, Instant usedAt,
                           String createdBy, Instant createdAt, String updatedBy, Instant updatedAt) {}

    public record VersionView(int version, int priority, Instant effectiveFrom, Instant effectiveTo, Map<String, Object> condition,
                              FeeSchedule schedule, List<RoleSplit> roles, String createdBy, Instant createdAt, Instant usedAt) {}

    public record HistoryView(RuleView rule, List<VersionView> versions, List<AuditEntry> audit) {}

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<RuleView> create(@RequestBody(required = false) RuleBody body) {
        String who = Caller.current().subject();
        if (body == null) throw ApiProblem.invalid(null, "a JSON request body is required");
        if (body.ruleId() == null || body.ruleId().isBlank()) throw ApiProblem.invalid("ruleId", "ruleId is required");
        StoredRule r = rules.create(body.ruleId(), draft(body), who);
        return ResponseEntity.status(HttpStatus.CREATED).location(URI.create("/api/v1/admin/commission-rules/" + r.ruleId())).body(view(r));
    }

    @PutMapping(path = "/{ruleId}", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    public RuleView update(@PathVariable String ruleId, @RequestBody(required = false) RuleBody body) {
        String who = Caller.current().subject();
        if (body == null) throw ApiProblem.invalid(null, "a JSON request body is required");
        if (body.ruleId() != null && !body.ruleId().equalsIgnoreCase(ruleId)) {
            throw ApiProblem.invalid("ruleId", "the body's ruleId '" + body.ruleId() + "' differs from the path's '" + ruleId + "'");
        }
        return view(rules.update(ruleId, draft(body), who));
    }

    @PostMapping(path = "/{ruleId}/deactivate", produces = MediaType.APPLICATION_JSON_VALUE)
    public RuleView deactivate(@PathVariable String ruleId) {
        return view(rules.deactivate(ruleId, Caller.current().subject()));
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    public List<RuleView> list() {
        return rules.list().stream().map(CommissionRulesController::view).toList();
    }

    @GetMapping(path = "/{ruleId}", produces = MediaType.APPLICATION_JSON_VALUE)
    public HistoryView get(@PathVariable String ruleId) {
        var h = rules.history(ruleId).orElseThrow(() -> new CommissionRuleException(CommissionRuleException.Code.NOT_FOUND, "ruleId", null,
                "no rule '" + ruleId + "'"));
        return new HistoryView(view(h.rule()), h.versions().stream().map(v -> {
            CommissionRule r = v.rule();
            return new VersionView(r.version(), r.priority(), r.effectiveFrom(), r.effectiveTo(), ConditionCodec.toTree(r.condition()),
                    r.schedule(), r.roles(), v.createdBy(), v.createdAt(), v.usedAt());
        }).toList(), h.audit());
    }


    private static Draft draft(RuleBody b) {
        if (b.priority() == null) throw ApiProblem.invalid("priority", "priority is required (higher wins; -1000000..1000000)");
        if (b.effectiveFrom() == null) throw ApiProblem.invalid("effectiveFrom", "effectiveFrom is required (an ISO-8601 instant)");
        if (b.condition() == null) throw ApiProblem.invalid("condition", "condition is required (use {\"op\":\"always\"} for a catch-all)");
        if (b.schedule() == null) throw ApiProblem.invalid("schedule", "schedule is required");
        Condition condition = ConditionCodec.fromTree(b.condition());
        List<RoleSplit> roles = RoleInput.toSplits(b.roles(), "roles");
        return new Draft(b.priority(), b.effectiveFrom(), b.effectiveTo(), condition, b.schedule(), roles == null ? List.of() : roles);
    }

    private static RuleView view(StoredRule s) {
        CommissionRule r = s.current();
        return new RuleView(s.ruleId(), s.status(), r.version(), r.priority(), r.effectiveFrom(), r.effectiveTo(),
                ConditionCodec.toTree(r.condition()), r.schedule(), r.roles(), s.currentUsedAt(), s.createdBy(), s.createdAt(),
                s.updatedBy(), s.updatedAt());
    }
}
