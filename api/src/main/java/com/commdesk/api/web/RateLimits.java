package com.commdesk.api.web;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Rate limits per client (Bucket4j token buckets): an authenticated caller by its token's subject, anyone
 * else by address. {@code commdesk.api.rate-limit.per-minute} requests a minute each (refilled
 * gradually, the whole minute's worth as burst), {@code commdesk.api.rate-limit.clients.<subject>}
 * overrides it for one client (e.g. the payment service). Over the limit: 429 problem+json with
 * {@code Retry-After} (seconds). Health probes, Cashfree's signed webhooks and Prometheus' scrape of
 * {@code /actuator/prometheus} (PLATFORM_ADMIN or OPS only) are not limited here: the scrape must not wait for the
 * store, which is the database whose outage the API's pool metrics report (CommDeskDatabaseUnreachable).
 * The buckets live in {@link RateLimitBuckets}: by default in PostgreSQL, one budget shared by every API
 * replica. If the store cannot be reached the request is let through (counted in
 * {@code commdesk.api.rate-limit.store.failures} and logged): a limit protects capacity and moves no money,
 * and every request that could do anything needs that same database anyway.
 */
public class RateLimits extends OncePerRequestFilter {
    private static final Logger log = LoggerFactory.getLogger(RateLimits.class);

    private final ProblemResponses problems;
    private final long perMinute;
    private final Map<String, Long> overrides;
    private final RateLimitBuckets buckets;
    private final Counter storeFailures;

    public RateLimits(ProblemResponses problems, long perMinute, Map<String, Long> overrides, RateLimitBuckets buckets,
                      MeterRegistry metrics) {
        if (perMinute < 1) throw new IllegalArgumentException("commdesk.api.rate-limit.per-minute must be >= 1");
        this.problems = problems;
        this.perMinute = perMinute;
        this.overrides = Map.copyOf(overrides);
        this.buckets = buckets;
        this.storeFailures = Counter.builder("commdesk.api.rate-limit.store.failures")
                .description("Requests let through because the rate-limit store could not be reached").register(metrics);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return path.startsWith("/actuator/health") || path.equals("/actuator/prometheus") || path.startsWith("/webhooks/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication a = SecurityContextHolder.getContext().getAuthentication();
        String client = a instanceof JwtAuthenticationToken t ? "sub:" + t.getToken().getSubject() : "addr:" + request.getRemoteAddr();
        ConsumptionProbe probe;
        try {
            probe = buckets.consumeOne(client, configuration(client));
        } catch (RuntimeException e) {
            storeFailures.increment();
            log.error("rate-limit store unavailable, request let through: {}", e.getMessage());
            chain.doFilter(request, response);
            return;
        }
        if (probe.isConsumed()) {
            response.setHeader("RateLimit-Remaining", Long.toString(probe.getRemainingTokens()));
            chain.doFilter(request, response);
            return;
        }
        long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
        response.setHeader("Retry-After", Long.toString(seconds));
        problems.write(response, HttpStatus.TOO_MANY_REQUESTS, "Too many requests",
                "rate limit exceeded for this client; retry after " + seconds + " s");
    }

    private BucketConfiguration configuration(String client) {
        long limit = client.startsWith("sub:") ? overrides.getOrDefault(client.substring(4), perMinute) : perMinute;
        return BucketConfiguration.builder().addLimit(Bandwidth.builder().capacity(limit).refillGreedy(limit, Duration.ofMinutes(1)).build())
                .build();
    }
}
