package com.commdesk.worker;

import com.commdesk.ledger.LedgerDatabase;
import com.commdesk.workflows.client.TemporalConnections;
import com.commdesk.workflows.client.TemporalSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * The worker process. Standalone it is production mode: every dependency must be configured and
 * reachable, or it refuses to start with one line saying why (it never falls back to embedded
 * infrastructure; that is the dev stack's job).
 */
@SpringBootApplication
@org.springframework.scheduling.annotation.EnableScheduling
public class WorkerApplication {
    public static void main(String[] args) {
        refuseUnlessReachable(System.getenv(), "commdesk-worker");
        builder().run(args);
    }

    /** The app with its own config file name (commdesk-worker.properties), so it can share a JVM with the API. */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(WorkerApplication.class).properties("spring.config.name=commdesk-worker");
    }

    static void refuseUnlessReachable(Map<String, String> env, String app) {
        for (String required : List.of("DATABASE_URL", "TEMPORAL_ADDRESS", "CASHFREE_CLIENT_ID", "CASHFREE_CLIENT_SECRET",
                "CASHFREE_PAYOUT_CLIENT_ID", "CASHFREE_PAYOUT_CLIENT_SECRET")) {
            if (env.get(required) == null || env.get(required).isBlank()) {
                refuse(app, required + " is not set (the standalone worker needs real infrastructure; "
                        + "for an embedded one run the dev stack, see README)");
            }
        }
        try {
            LedgerDatabase.requireReachable(env.get("DATABASE_URL"), env.get("DATABASE_USER"), env.get("DATABASE_PASSWORD"),
                    Duration.ofSeconds(5));
            TemporalConnections.connect(TemporalSettings.fromEnv(env, null), Duration.ofSeconds(5)).shutdownNow();
        } catch (RuntimeException e) {
            refuse(app, e.getMessage());
        }
    }

    private static void refuse(String app, String reason) {
        System.err.println(app + ": refusing to start: " + reason);
        System.exit(2);
    }
}
