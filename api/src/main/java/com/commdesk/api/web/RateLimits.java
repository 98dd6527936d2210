package com.commdesk.api.web;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
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
 * {@code Retry-After} (seconds). Health probes and Cashfree's signed webhooks are not limited here.
 * Buckets live in this process (one per client, at most {@link #MAX_CLIENTS}, least recently used
 * dropped): N API replicas allow N times the rate.
 */
public class RateLimits extends OncePerRequestFilter {
    static final int MAX_CLIENTS = 100_000;

    private final ProblemResponses problems;
    private final long perMinute;
    private final Map<String, Long> overrides;
    private final Map<String, Bucket> buckets = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
            return size() > MAX_CLIENTS;
        }
    };

    public RateLimits(ProblemResponses problems, long perMinute, Map<String, Long> overrides) {
        if (perMinute < 1) throw new IllegalArgumentException("commdesk.api.rate-limit.per-minute must be >= 1");
        this.problems = problems;
        this.perMinute = perMinute;
        this.overrides = Map.copyOf(overrides);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return path.startsWith("/actuator/health") || path.startsWith("/webhooks/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication a = SecurityContextHolder.getContext().getAuthentication();
        String client = a instanceof JwtAuthenticationToken t ? "sub:" + t.getToken().getSubject() : "addr:" + request.getRemoteAddr();
        ConsumptionProbe probe = bucket(client).tryConsumeAndReturnRemaining(1);
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

    private Bucket bucket(String client) {
        synchronized (buckets) {
            return buckets.computeIfAbsent(client, c -> {
                long limit = c.startsWith("sub:") ? overrides.getOrDefault(c.substring(4), perMinute) : perMinute;
                return Bucket.builder().addLimit(Bandwidth.builder().capacity(limit).refillGreedy(limit, Duration.ofMinutes(1)).build())
                        .build();
            });
        }
    }
}
