package com.commdesk.api.web;

import com.commdesk.ledger.audit.AuditLog;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The audit log for admins and finance: newest first, by actor and/or target path prefix, paged by {@code before}. */
@RestController
public class AuditController {
    private final AuditLog audit;

    public AuditController(AuditLog audit) {
        this.audit = audit;
    }

    @GetMapping(path = "/api/v1/audit", produces = MediaType.APPLICATION_JSON_VALUE)
    public List<AuditLog.Entry> list(@RequestParam(required = false) String actor, @RequestParam(required = false) String target,
                                     @RequestParam(required = false) Long before, @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > AuditLog.MAX_PAGE) throw ApiProblem.invalid("limit", "limit must be 1.." + AuditLog.MAX_PAGE);
        if (actor != null && (actor.isBlank() || actor.length() > 255)) throw ApiProblem.invalid("actor", "actor must be 1-255 characters");
        if (target != null && (!target.startsWith("/") || target.length() > 2000)) {
            throw ApiProblem.invalid("target", "target must be a path prefix starting with /");
        }
        if (before != null && before < 1) throw ApiProblem.invalid("before", "before must be an audit id >= 1");
        return audit.list(actor, target, before, limit);
    }
}
