package com.commdesk.workflows;

import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/**
 * The one retry policy and option shapes every workflow's steps use: exponential backoff from one
 * second, doubling, capped at a minute; errors of the named types are never retried. Each step
 * states its own limits: how long one attempt may take and how long to keep trying.
 */
public final class StepOptions {
    private StepOptions() {}

    public static RetryOptions retry(String... doNotRetry) {
        return RetryOptions.newBuilder()
                .setInitialInterval(Duration.ofSeconds(1))
                .setBackoffCoefficient(2.0)
                .setMaximumInterval(Duration.ofMinutes(1))
                .setDoNotRetry(doNotRetry)
                .build();
    }

    public static ActivityOptions activity(Duration perAttempt, Duration total, RetryOptions retry) {
        return ActivityOptions.newBuilder().setStartToCloseTimeout(perAttempt).setScheduleToCloseTimeout(total)
                .setRetryOptions(retry).build();
    }

    public static LocalActivityOptions local(Duration perAttempt, Duration total, RetryOptions retry) {
        return LocalActivityOptions.newBuilder().setStartToCloseTimeout(perAttempt).setScheduleToCloseTimeout(total)
                .setRetryOptions(retry).build();
    }
}
