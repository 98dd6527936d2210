package com.commdesk.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.ObjectMapper;

/**
 * Prometheus' scrape of the API does not go through the rate-limit store: that store is the ledger database, and a
 * scrape that waits for a connection while PostgreSQL is down (30 s, the pool's connection timeout) fails, so the API's
 * own pool metrics (CommDeskDatabaseUnreachable) would be unreadable exactly while they matter (issue 14, scenario 3).
 */
class RateLimitsScrapeTest {
    @Test
    void aMetricsScrapeDoesNotConsultTheStoreAndAnApiCallDoes() throws Exception {
        AtomicInteger storeCalls = new AtomicInteger();
        RateLimitBuckets unreachable = (client, configuration) -> {
            storeCalls.incrementAndGet();
            throw new IllegalStateException("the database is down");
        };
        RateLimits limiter = new RateLimits(new ProblemResponses(new ObjectMapper()), 5, Map.of(), unreachable, new SimpleMeterRegistry());

        MockHttpServletResponse scrape = new MockHttpServletResponse();
        MockFilterChain scrapeChain = new MockFilterChain();
        limiter.doFilter(new MockHttpServletRequest("GET", "/actuator/prometheus"), scrape, scrapeChain);
        assertThat(scrapeChain.getRequest()).as("the scrape reached the endpoint").isNotNull();
        assertThat(storeCalls).as("store round trips for a scrape of /actuator/prometheus").hasValue(0);

        MockFilterChain apiChain = new MockFilterChain();
        limiter.doFilter(new MockHttpServletRequest("GET", "/api/v1/ledger/trial-balance"), new MockHttpServletResponse(), apiChain);
        assertThat(storeCalls).as("an API request is still limited through the store").hasValue(1);
        assertThat(apiChain.getRequest()).as("and let through when the store cannot be reached").isNotNull();
    }
}
