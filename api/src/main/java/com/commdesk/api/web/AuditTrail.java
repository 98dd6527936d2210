package com.commdesk.api.web;

import com.commdesk.api.RequestLogFilter;
import com.commdesk.ledger.audit.AuditLog;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.util.ContentCachingRequestWrapper;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Appends every write (POST/PUT/PATCH/DELETE under /api/) answered 2xx, or 5xx (it may have committed its decision before
 * it failed; a handler that threw is entered as 500), to the audit log:
 * the token's subject and role, the route, the path, the HTTP status, the request id (the one
 * {@link RequestLogFilter} chose: the caller's {@code X-Request-Id} if {@code LogContext.safe} and at most 64
 * characters, else a new one; always echoed) and SHA-256 digests of the
 * request body and of the response (the state after). An endpoint that replaces something puts the
 * digest of the old state in {@link #BEFORE_DIGEST}. Refused and invalid requests (4xx) wrote nothing,
 * so they are not entries. Runs after the security filters, so the caller is known.
 */
public class AuditTrail extends OncePerRequestFilter {
    /** Request attribute: SHA-256 (hex) of what the write replaced, if the endpoint knows it. */
    public static final String BEFORE_DIGEST = AuditTrail.class.getName() + ".before";
    /**
     * Request attribute (was NOTHING_WRITTEN until s17, a name that no longer said what it does): the 5xx answers a write
     * whose database was away or contended (its last transaction rolled back). It
     * is an entry all the same (an earlier step of the same request may have committed: s16), kept on disk without waiting
     * on the database ({@link DurableAudit#spool}): during an outage each such request would otherwise wait on the audit
     * insert too.
     */
    public static final String DATABASE_AWAY = AuditTrail.class.getName() + ".databaseAway";
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    private final DurableAudit audit;
    private final int maxBodyBytes;

    public AuditTrail(DurableAudit audit, int maxBodyBytes) {
        this.audit = audit;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String requestId = RequestLogFilter.requestId(request);
        response.setHeader(RequestLogFilter.HEADER, requestId); // echoed even by a chain built without RequestLogFilter
        if (READS.contains(request.getMethod()) || !request.getRequestURI().startsWith("/api/")) {
            chain.doFilter(request, response);
            return;
        }
        ContentCachingRequestWrapper req = new ContentCachingRequestWrapper(request, maxBodyBytes);
        ContentCachingResponseWrapper res = new ContentCachingResponseWrapper(response);
        try {
            try {
                chain.doFilter(req, res);
            } catch (IOException | ServletException | RuntimeException e) {
                // Nothing answered it, and what it did before it failed may stand: an entry, as the 500 the container sends.
                append(req, null, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, requestId);
                throw e;
            }
            int status = res.getStatus();
            // A 4xx was refused or invalid and wrote nothing. A 5xx may have committed its decision before it failed (a refund
            // approval recorded, then its workflow's start refused): who made it must be on record, with the status it got.
            if ((status >= 200 && status < 300) || status >= 500) append(req, res, status, requestId);
        } finally {
            res.copyBodyToResponse();
        }
    }

    private void append(ContentCachingRequestWrapper req, ContentCachingResponseWrapper res, int status, String requestId) {
        if (!(SecurityContextHolder.getContext().getAuthentication() instanceof JwtAuthenticationToken token)) return;
        Caller caller = Caller.of(token.getToken());
        Object route = req.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        Object before = req.getAttribute(BEFORE_DIGEST);
        AuditLog.Entry entry = new AuditLog.Entry(null, null, caller.subject(), caller.primaryRole(),
                req.getMethod() + " " + (route == null ? req.getRequestURI() : route), req.getRequestURI(), status,
                requestId, before == null ? null : before.toString(), sha256(req.getContentAsByteArray()),
                res == null ? null : sha256(res.getContentAsByteArray()), null);
        // The write itself has happened: its entry is appended now, or kept on disk until the database takes it, never a
        // reason to hide the result.
        if (Boolean.TRUE.equals(req.getAttribute(DATABASE_AWAY))) audit.spool(entry);
        else audit.append(entry);
    }

    public static String sha256(byte[] bytes) {
        if (bytes == null || bytes.length == 0) return null;
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256(String text) {
        return text == null ? null : sha256(text.getBytes(StandardCharsets.UTF_8));
    }
}
