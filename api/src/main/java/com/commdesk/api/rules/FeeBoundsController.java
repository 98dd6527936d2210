package com.commdesk.api.rules;

import com.commdesk.api.web.ApiProblem;
import com.commdesk.api.web.Caller;

import com.commdesk.fees.FeeBounds;
import com.commdesk.fees.FeeSchedule;
import com.commdesk.ledger.rules.FeeBoundsRepository;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The platform-wide fee bounds (docs/rules.md): every rule save and every quote is checked against
 * them. Read by anyone who may see rules; changed only by a platform admin (SecurityConfiguration.RULES), each
 * change audited (the bounds' own history names the token's subject; AuditTrail logs the request). A change that would leave an active rule (or the default preset quotes fall back to)
 * outside the new bounds is refused with 409 naming the rules.
 */
@RestController
@RequestMapping("/api/v1/admin/fee-bounds")
public class FeeBoundsController {
    private final FeeBoundsRepository bounds;
    private final FeeSchedule defaultSchedule;

    public FeeBoundsController(FeeBoundsRepository bounds, FeeSchedule defaultFeeSchedule) {
        this.bounds = bounds;
        this.defaultSchedule = defaultFeeSchedule;
    }

    /** PUT body: all three fields are required (a PUT replaces the bounds). */
    public record BoundsBody(Integer minPlatformFeeBps, Integer maxPlatformFeeBps, Long maxPlatformFixedPaise) {}

    public record BoundsView(int minPlatformFeeBps, int maxPlatformFeeBps, long maxPlatformFixedPaise, long revision, String updatedBy,
                             Instant updatedAt) {}

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    public BoundsView get() {
        return view(bounds.current());
    }

    @PutMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    public BoundsView put(@RequestBody(required = false) BoundsBody body) {
        String actor = Caller.current().subject();
        if (body == null) throw ApiProblem.invalid(null, "a JSON request body is required");
        if (body.minPlatformFeeBps() == null) throw ApiProblem.invalid("minPlatformFeeBps", "minPlatformFeeBps is required (0..10000 bps)");
        if (body.maxPlatformFeeBps() == null) throw ApiProblem.invalid("maxPlatformFeeBps", "maxPlatformFeeBps is required (0..10000 bps)");
        if (body.maxPlatformFixedPaise() == null) {
            throw ApiProblem.invalid("maxPlatformFixedPaise", "maxPlatformFixedPaise is required (0 forbids a fixed part in platform fees)");
        }
        FeeBounds next = new FeeBounds(body.minPlatformFeeBps(), body.maxPlatformFeeBps(), body.maxPlatformFixedPaise());
        return view(bounds.update(next, actor, Map.of(defaultSchedule.name(), defaultSchedule)));
    }

    @GetMapping(path = "/audit", produces = MediaType.APPLICATION_JSON_VALUE)
    public List<FeeBoundsRepository.AuditEntry> audit() {
        return bounds.history();
    }

    private static BoundsView view(FeeBoundsRepository.Stored s) {
        return new BoundsView(s.bounds().minPlatformFeeBps(), s.bounds().maxPlatformFeeBps(), s.bounds().maxPlatformFixedPaise(),
                s.revision(), s.updatedBy(), s.updatedAt());
    }
}
