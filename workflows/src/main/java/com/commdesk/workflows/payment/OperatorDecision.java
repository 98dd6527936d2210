package com.commdesk.workflows.payment;

/** An operator's decision on a parked payment: run the failed step again, or give up and undo. */
public record OperatorDecision(Action action, String operator, String note) {
    public enum Action { RETRY, COMPENSATE }
}
