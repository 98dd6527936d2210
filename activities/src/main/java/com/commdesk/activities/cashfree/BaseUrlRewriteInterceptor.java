package com.commdesk.activities.cashfree;

import java.io.IOException;
import java.util.Set;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Sends the SDK's requests somewhere else. cashfree_pg 4.0.7 hard-codes {@code https://sandbox.cashfree.com/pg}
 * and {@code https://api.cashfree.com/pg} in every call ({@code setBasePath} is ignored), so the only way to
 * point it at a simulator is to rewrite each request's URL: scheme, host and port come from the override;
 * the path becomes the override's path prefix followed by Cashfree's {@code /pg/...} path; the query is kept.
 * Requests for any other host are refused rather than forwarded.
 */
final class BaseUrlRewriteInterceptor implements Interceptor {

    static final Set<String> CASHFREE_HOSTS = Set.of("sandbox.cashfree.com", "api.cashfree.com");

    private final HttpUrl base;

    BaseUrlRewriteInterceptor(String baseUrl) {
        HttpUrl parsed = HttpUrl.parse(baseUrl);
        if (parsed == null) {
            throw new IllegalArgumentException("not an http(s) URL: " + baseUrl);
        }
        this.base = parsed;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        return chain.proceed(request.newBuilder().url(rewrite(request.url(), base)).build());
    }

    static HttpUrl rewrite(HttpUrl original, HttpUrl base) {
        if (!CASHFREE_HOSTS.contains(original.host())) {
            throw new IllegalStateException("refusing to redirect a request for unexpected host " + original.host());
        }
        String prefix = base.encodedPath();
        if (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        return original.newBuilder()
                .scheme(base.scheme())
                .host(base.host())
                .port(base.port())
                .encodedPath(prefix + original.encodedPath())
                .build();
    }
}
