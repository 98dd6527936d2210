package com.commdesk.workflows.payment;

/** A reviewer's decision on a payment the fraud screen flagged. */
public record ReviewDecision(Outcome outcome, String reviewer, String reason) {
    public enum Outcome { APPROVE, REJECT }
}
