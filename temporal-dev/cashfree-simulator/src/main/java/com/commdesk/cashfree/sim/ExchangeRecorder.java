package com.commdesk.cashfree.sim;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Keeps the last {@link #MAX} Cashfree API exchanges (not the control endpoints): method, path, request
 * body, status and response body, so contract tests can hold every request our clients send and every
 * answer the simulator gives to Cashfree's contract (cashfree-contract/contract.json).
 */
public final class ExchangeRecorder extends Filter {
    static final int MAX = 2_000;

    /** One request and its answer; {@code status} is -1 if none was sent (a hang, a dropped connection). */
    public record Exchange(String method, String path, String query, String requestBody, int status, String responseBody) {}

    private final BoundedLog<Exchange> recorded = new BoundedLog<>(MAX);

    @Override
    public void doFilter(HttpExchange ex, Chain chain) throws IOException {
        String path = ex.getRequestURI().getPath();
        if (path == null || path.startsWith("/__sim")) {
            chain.doFilter(ex);
            return;
        }
        byte[] request = ex.getRequestBody().readNBytes(CashfreeSimulator.MAX_BODY_BYTES + 1);
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        OutputStream original = ex.getResponseBody();
        ex.setStreams(new ByteArrayInputStream(request), new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                original.write(b);
                copy.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                original.write(b, off, len);
                copy.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                original.flush();
            }

            @Override
            public void close() throws IOException {
                original.close();
            }
        });
        try {
            chain.doFilter(ex);
        } finally {
            Exchange e = new Exchange(ex.getRequestMethod(), path, ex.getRequestURI().getRawQuery(),
                    new String(request, StandardCharsets.UTF_8), ex.getResponseCode(), copy.toString(StandardCharsets.UTF_8));
            recorded.add(e);
        }
    }

    List<Exchange> recorded() {
        return recorded.snapshot();
    }

    void clear() {
        recorded.clear();
    }

    @Override
    public String description() {
        return "records Cashfree API exchanges for contract tests";
    }
}
