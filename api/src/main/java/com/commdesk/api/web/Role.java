package com.commdesk.api.web;

/**
 * The roles a token can carry (claim {@code roles}, see README "Identity and roles"). Spring Security
 * sees each as the authority {@code ROLE_<name>}.
 */
public enum Role {
    /** Commission rules and fee schedules, communities, the blocklist. */
    PLATFORM_ADMIN,
    /** Approves or rejects payouts, refunds and chargebacks, reconciliation adjustments; never its own request. */
    FINANCE_APPROVER,
    /** Reports, reconciliation, all statements; read only. */
    FINANCE_VIEWER,
    /** Parked and under-review payments: retry, compensate, approve or reject reviews. */
    OPS,
    /** Its own communities only (claim {@code communities}). */
    COMMUNITY_OWNER,
    /** Its own wallet, statement and payouts only ({@code sub} = member id). */
    MEMBER,
    /** A server-to-server caller (the CommDesk app): starts payments and reads their status. */
    PAYMENT_SERVICE;

    public String authority() {
        return "ROLE_" + name();
    }
}
