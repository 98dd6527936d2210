package com.commdesk.cashfree.sim;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;

/**
 * The outcome of one webhook delivery attempt.
 *
 * @param target     where it was sent
 * @param webhook    what was sent
 * @param attemptedAt when the attempt started
 * @param elapsed    how long it took
 * @param statusCode the receiver's HTTP status; {@code -1} if no response came
 * @param error      why no response came ({@code null} if one did)
 * @param attempt    1 for the first delivery, then 2, 3, ... for Cashfree's retries
 */
public record WebhookDelivery(URI target, SignedWebhook webhook, Instant attemptedAt, Duration elapsed,
                              int statusCode, String error, int attempt) {

    /** True if the receiver answered 2xx. */
    public boolean delivered() {
        return statusCode >= 200 && statusCode < 300;
    }
}
