package com.commdesk.api;

import com.commdesk.workflows.client.LogContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request a request id (the caller's {@code X-Request-Id} if it is a safe id, else a new one;
 * echoed in the response) in the MDC for the whole request, and writes one access line per request:
 * INFO for writes, DEBUG for reads, none for /actuator. A payment's POST also carries its payment id (the
 * Idempotency-Key names the payment, D7); path variables and request bodies add theirs
 * ({@link RequestLogIds}). The request id travels on to the workflow and its activities
 * ({@link LogContext.RequestIdPropagator}). First of all filters, so even a refused request has an id.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestLogFilter extends OncePerRequestFilter {
    public static final String HEADER = "X-Request-Id";
    /** Request attribute: the request id this filter chose. */
    public static final String REQUEST_ID_ATTRIBUTE = RequestLogFilter.class.getName() + ".requestId";
    private static final Logger access = LoggerFactory.getLogger("com.commdesk.api.access");

    /**
     * This request's id, chosen once and kept as {@link #REQUEST_ID_ATTRIBUTE}: the caller's {@code X-Request-Id} if
     * {@link LogContext#safe} and at most 64 characters, else a new one. This filter, first of all, chooses it; a chain
     * without it (one built by hand) gets the same choice from its first reader.
     */
    public static String requestId(HttpServletRequest request) {
        if (request.getAttribute(REQUEST_ID_ATTRIBUTE) instanceof String chosen) return chosen;
        String given = LogContext.safe(request.getHeader(HEADER));
        String requestId = given != null && given.length() <= 64 ? given : RequestIds.next();
        request.setAttribute(REQUEST_ID_ATTRIBUTE, requestId);
        return requestId;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Map<String, String> outer = MDC.getCopyOfContextMap();
        // The one id of this request: AuditTrail and WebhookAudit read it through requestId(request), so an audit
        // entry names the request id of the request's log lines and of its response.
        String requestId = requestId(request);
        MDC.put(LogContext.REQUEST_ID, requestId);
        response.setHeader(HEADER, requestId);
        String uri = request.getRequestURI();
        if ("POST".equals(request.getMethod()) && "/api/v1/payments".equals(uri)) {
            String paymentId = LogContext.safe(request.getHeader("Idempotency-Key"));
            if (paymentId != null) MDC.put(LogContext.PAYMENT_ID, paymentId);
        }
        long started = System.nanoTime();
        try {
            chain.doFilter(request, response);
        } finally {
            if (!uri.startsWith("/actuator")) {
                long ms = (System.nanoTime() - started) / 1_000_000;
                if ("GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod())) {
                    access.debug("{} {} -> {} in {} ms", request.getMethod(), uri, response.getStatus(), ms);
                } else {
                    access.info("{} {} -> {} in {} ms", request.getMethod(), uri, response.getStatus(), ms);
                }
            }
            if (outer == null) MDC.clear();
            else MDC.setContextMap(outer);
        }
    }
}
