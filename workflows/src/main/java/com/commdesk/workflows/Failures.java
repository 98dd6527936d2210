package com.commdesk.workflows;

import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;

/** What an operator needs to read from a failure chain: the innermost message. Deterministic. */
public final class Failures {
    private Failures() {}

    public static String describe(TemporalFailure e) {
        Throwable t = e;
        while (t.getCause() instanceof TemporalFailure next) t = next;
        String message = t instanceof ApplicationFailure af ? af.getOriginalMessage() : t.getMessage();
        return message == null ? t.getClass().getSimpleName() : message;
    }
}
