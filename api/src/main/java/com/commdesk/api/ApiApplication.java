package com.commdesk.api;

import com.commdesk.ledger.LedgerDatabase;
import com.commdesk.workflows.client.TemporalConnections;
import com.commdesk.workflows.client.TemporalSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * The API process. Standalone it is production mode: PostgreSQL and Temporal must be configured
 * and reachable, or it refuses to start with one line saying why; it never falls back to
 * embedded infrastructure (that is the dev stack's job).
 */
@SpringBootApplication(excludeName = {
        // In the dev stack the embedded authorization server shares the classpath; the API is only a resource server.
        "org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerAutoConfiguration",
        "org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerJwtAutoConfiguration"})
public class ApiApplication {
    public static void main(String[] args) {
        refuseUnlessReachable(System.getenv());
        builder().run(args);
    }

    /** The app with its own config file name (commdesk-api.properties), so it can share a JVM with the worker. */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(ApiApplication.class).properties("spring.config.name=commdesk-api");
    }

    static void refuseUnlessReachable(Map<String, String> env) {
        for (String required : List.of("DATABASE_URL", "TEMPORAL_ADDRESS", "CASHFREE_CLIENT_SECRET", "OIDC_ISSUER_URI")) {
            if (env.get(required) == null || env.get(required).isBlank()) {
                refuse(required + " is not set (the standalone API needs real infrastructure; "
                        + "for an embedded one run the dev stack, see README)");
            }
        }
        try {
            LedgerDatabase.requireReachable(env.get("DATABASE_URL"), env.get("DATABASE_USER"), env.get("DATABASE_PASSWORD"),
                    Duration.ofSeconds(5));
            TemporalConnections.connect(TemporalSettings.fromEnv(env, null), Duration.ofSeconds(5)).shutdownNow();
        } catch (RuntimeException e) {
            refuse(e.getMessage());
        }
    }

    private static void refuse(String reason) {
        System.err.println("commdesk-api: refusing to start: " + reason);
        System.exit(2);
    }
}
