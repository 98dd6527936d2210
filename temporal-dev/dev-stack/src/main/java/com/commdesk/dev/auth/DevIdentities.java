package com.commdesk.dev.auth;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The dev stack's users and clients. DEVELOPMENT ONLY: the passwords and the client secrets below are
 * public, fixed values (like the Cashfree simulator's), never used outside the dev stack; a real
 * deployment gets its users, clients and roles from its own OIDC provider (README "Identity and roles").
 */
public final class DevIdentities {
    /** Every dev user's password. Public on purpose: this is the dev stack. */
    public static final String DEV_PASSWORD = "dev-password-not-a-secret";

    /** Server-to-server client (the CommDesk app that starts payments): client_credentials → PAYMENT_SERVICE. */
    public static final String APP_CLIENT_ID = "commdesk-app";
    public static final String APP_CLIENT_SECRET = "dev-app-secret-not-a-secret";
    public static final List<String> APP_CLIENT_ROLES = List.of("PAYMENT_SERVICE");

    /**
     * Prometheus' client: client_credentials → OPS, the role the API's /actuator/prometheus asks for, as a production
     * identity provider must issue it to the scrape (docs/operations.md, "Metrics"; ops/README.md).
     */
    public static final String PROMETHEUS_CLIENT_ID = "commdesk-prometheus";
    public static final String PROMETHEUS_CLIENT_SECRET = "dev-prometheus-secret-not-a-secret";
    public static final List<String> PROMETHEUS_CLIENT_ROLES = List.of("OPS");

    /** Public client for people (the dashboard, Swagger UI): authorization code + PKCE, login page. */
    public static final String DASHBOARD_CLIENT_ID = "commdesk-dashboard";

    /** A person who can log in; {@code username} becomes the token's {@code sub}. */
    public record DevUser(String username, List<String> roles, List<String> communities, String what) {}

    public static final List<DevUser> USERS = List.of(
            new DevUser("admin", List.of("PLATFORM_ADMIN"), List.of(), "platform admin: rules, fee bounds, communities, blocklist"),
            new DevUser("approver1", List.of("FINANCE_APPROVER"), List.of(), "finance approver"),
            new DevUser("approver2", List.of("FINANCE_APPROVER"), List.of(), "a second finance approver (four eyes)"),
            new DevUser("approver3", List.of("FINANCE_APPROVER"), List.of(),
                    "a third finance approver (returning a payout's money takes two who did not request it)"),
            new DevUser("viewer", List.of("FINANCE_VIEWER"), List.of(), "finance, read only"),
            new DevUser("ops", List.of("OPS"), List.of(), "operations: parked and flagged payments"),
            new DevUser("owner", List.of("COMMUNITY_OWNER"), List.of("demo-community"), "owner of demo-community"),
            new DevUser("other-owner", List.of("COMMUNITY_OWNER"), List.of("other-community"), "owner of another community"),
            new DevUser("u-admin1", List.of("MEMBER"), List.of(), "member u-admin1 of demo-community (sub = member id)"));

    private static final Map<String, DevUser> BY_NAME = USERS.stream().collect(Collectors.toMap(DevUser::username, Function.identity()));

    private DevIdentities() {}

    public static Optional<DevUser> user(String username) {
        return Optional.ofNullable(BY_NAME.get(username));
    }

    /** The dev users as the startup banner prints them. */
    public static String banner() {
        StringBuilder s = new StringBuilder();
        for (DevUser u : USERS) s.append(String.format("      %-12s %-18s %s%n", u.username(), String.join(",", u.roles()), u.what()));
        return s.toString();
    }
}
