package com.commdesk.api.payout;

import com.commdesk.api.web.ApiProblem;
import com.commdesk.api.web.Caller;
import com.commdesk.ledger.LedgerDatabase;
import com.commdesk.ledger.payout.MemberNotices;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The caller's own notices: each account that became its current payout account, who set it and when payouts may go
 * to it (changeset 129). A member learns this way that its community's owner set or changed where its money goes, while
 * the cooling-off still lets it replace the account. Only the token's subject's own: there is no way to read another's.
 */
@RestController
public class NoticesController {
    private final MemberNotices notices;

    public NoticesController(LedgerDatabase db) {
        this.notices = new MemberNotices(db.dsl());
    }

    @GetMapping(path = "/api/v1/me/notices", produces = MediaType.APPLICATION_JSON_VALUE)
    public List<MemberNotices.Notice> notices(@RequestParam(required = false) Long before,
                                              @RequestParam(defaultValue = "50") int limit) {
        if (limit < 1 || limit > MemberNotices.MAX_PAGE) throw ApiProblem.invalid("limit", "limit must be 1.." + MemberNotices.MAX_PAGE);
        if (before != null && before < 1) throw ApiProblem.invalid("before", "before must be a notice id");
        return notices.of(Caller.current().subject(), before, limit);
    }
}
