package com.commdesk.api.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Checks made before anything reads a request: the body is at most the route's limit (webhooks 64 KiB,
 * recon uploads {@code commdesk.api.max-upload-bytes}, everything else {@code commdesk.api.max-body-bytes})
 * — refused with 413 on its declared length, and cut off with 413 if a chunked body grows past it; and
 * a query parameter given twice is refused (400) instead of one value being picked.
 */
public class RequestGuards extends OncePerRequestFilter {
    public static final int WEBHOOK_MAX_BYTES = 64 * 1024;

    private final ProblemResponses problems;
    private final long maxBodyBytes;
    private final long maxUploadBytes;

    public RequestGuards(ProblemResponses problems, long maxBodyBytes, long maxUploadBytes) {
        this.problems = problems;
        this.maxBodyBytes = maxBodyBytes;
        this.maxUploadBytes = maxUploadBytes;
    }

    long limitFor(String path) {
        if (path.startsWith("/webhooks/")) return WEBHOOK_MAX_BYTES;
        if (path.startsWith("/api/v1/reconciliation/uploads")) return maxUploadBytes;
        return maxBodyBytes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String malformed = malformedQuery(request.getQueryString());
        if (malformed == null && hasControl(decodedPath(request.getRequestURI()))) malformed = "the path contains control characters";
        if (malformed != null) {
            problems.write(response, HttpStatus.BAD_REQUEST, "Malformed query", malformed);
            return;
        }
        long limit = limitFor(request.getRequestURI());
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            problems.write(response, HttpStatus.CONTENT_TOO_LARGE, "Body too large", "the request body is larger than " + limit + " bytes");
            return;
        }
        try {
            chain.doFilter(declared >= 0 ? request : new Limited(request, limit), response);
        } catch (TooLarge e) {
            if (!response.isCommitted()) {
                response.reset();
                problems.write(response, HttpStatus.CONTENT_TOO_LARGE, "Body too large", "the request body is larger than " + limit + " bytes");
            }
        }
    }

    /**
     * Why the query string cannot be read unambiguously, or null: a parameter given twice (refused rather
     * than one value guessed at), a parameter without a name, or broken percent-encoding.
     */
    static String malformedQuery(String query) {
        if (query == null || query.isEmpty()) return null;
        Set<String> seen = new HashSet<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String name;
            try {
                name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                if (eq >= 0) URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return "the query string has broken percent-encoding";
            }
            if (name.isEmpty()) return "the query string has a parameter without a name";
            if (hasControl(name) || eq >= 0 && hasControl(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8))) {
                return "the query string contains control characters";
            }
            if (!seen.add(name)) return "query parameter '" + name + "' is given more than once; give it once";
        }
        return null;
    }

    /** NUL and the other C0 controls (and DEL) have no place in an id, a path or a parameter. */
    static boolean hasControl(String s) {
        if (s == null) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) return true;
        }
        return false;
    }

    private static String decodedPath(String uri) {
        try {
            return URLDecoder.decode(uri.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "\u0000"; // broken encoding: refused like a control character
        }
    }

    static final class TooLarge extends IOException {
        TooLarge() {
            super("request body too large", null);
        }
    }

    /** A request whose body stream fails once more than {@code limit} bytes have been read. */
    static final class Limited extends HttpServletRequestWrapper {
        private final long limit;
        private ServletInputStream stream;

        Limited(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                ServletInputStream in = super.getInputStream();
                stream = new ServletInputStream() {
                    long read;

                    @Override
                    public int read() throws IOException {
                        int b = in.read();
                        if (b >= 0 && ++read > limit) throw new TooLarge();
                        return b;
                    }

                    @Override
                    public int read(byte[] buf, int off, int len) throws IOException {
                        int n = in.read(buf, off, len);
                        if (n > 0 && (read += n) > limit) throw new TooLarge();
                        return n;
                    }

                    @Override
                    public boolean isFinished() {
                        return in.isFinished();
                    }

                    @Override
                    public boolean isReady() {
                        return in.isReady();
                    }

                    @Override
                    public void setReadListener(ReadListener listener) {
                        in.setReadListener(listener);
                    }
                };
            }
            return stream;
        }
    }
}
