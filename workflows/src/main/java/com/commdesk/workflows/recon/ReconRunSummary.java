package com.commdesk.workflows.recon;

import java.util.List;

/** What a reconciliation run found; {@code subjects} are its exceptions as "KIND:order id", sorted. */
public record ReconRunSummary(long runId, String runKey, int lines, int paymentLines, int matched, int exceptions,
                              int newExceptions, int matchRateBps, List<String> subjects) {
    public ReconRunSummary {
        subjects = subjects == null ? List.of() : List.copyOf(subjects);
    }
}
