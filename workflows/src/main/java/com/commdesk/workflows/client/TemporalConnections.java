package com.commdesk.workflows.client;

import com.uber.m3.tally.Scope;
import io.temporal.authorization.AuthorizationTokenSupplier;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.SimpleSslContextBuilder;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.FileInputStream;
import java.io.InputStream;
import java.time.Duration;

/**
 * Client-side connection code shared by the api and worker apps (not workflow code: it is outside
 * the packages the determinism rules cover). Connects eagerly, so an unreachable server is a
 * clear start-up failure instead of a silent hang.
 */
public final class TemporalConnections {
    private TemporalConnections() {}

    /** Thrown when the configured Temporal server does not answer its health check in time. */
    public static final class UnreachableException extends RuntimeException {
        public UnreachableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public static WorkflowServiceStubs connect(TemporalSettings settings, Duration timeout) {
        return connect(settings, timeout, null);
    }

    /** The same, reporting the SDK's metrics (client and workers on these stubs) into {@code metrics} (null: none). */
    public static WorkflowServiceStubs connect(TemporalSettings settings, Duration timeout, Scope metrics) {
        WorkflowServiceStubsOptions.Builder options = WorkflowServiceStubsOptions.newBuilder()
                .setTarget(settings.address())
                .setRpcTimeout(Duration.ofSeconds(10));
        if (metrics != null) {
            options.setMetricsScope(metrics);
            options.setGrpcClientInterceptors(java.util.List.of(new EagerStartMetrics(metrics)));
        }
        try {
            if (settings.tlsCertPath() != null && settings.tlsKeyPath() != null) {
                try (InputStream cert = new FileInputStream(settings.tlsCertPath());
                     InputStream key = new FileInputStream(settings.tlsKeyPath())) {
                    options.setSslContext(SimpleSslContextBuilder.forPKCS8(cert, key).build());
                }
            } else if (settings.tls()) {
                options.setEnableHttps(true);
            }
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot read Temporal TLS certificate/key: " + e.getMessage(), e);
        }
        if (settings.apiKey() != null) {
            String key = settings.apiKey();
            AuthorizationTokenSupplier supplier = () -> key;
            options.addApiKey(supplier);
        }
        try {
            return WorkflowServiceStubs.newConnectedServiceStubs(options.build(), timeout);
        } catch (RuntimeException e) {
            throw new UnreachableException("Temporal at " + settings.address() + " is unreachable: " + rootMessage(e), e);
        }
    }

    public static WorkflowClient client(WorkflowServiceStubs stubs, TemporalSettings settings) {
        return WorkflowClient.newInstance(stubs, WorkflowClientOptions.newBuilder().setNamespace(settings.namespace())
                .setContextPropagators(java.util.List.of(new LogContext.RequestIdPropagator())).build());
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
