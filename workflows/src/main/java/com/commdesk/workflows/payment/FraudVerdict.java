package com.commdesk.workflows.payment;

import java.util.List;

/** The fraud screen's answer: a flagged payment waits for a human review before anything is posted. */
public record FraudVerdict(boolean flagged, List<String> reasons) {
    public FraudVerdict {
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
    }
}
