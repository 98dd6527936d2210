package com.commdesk.workflows.refund;

/** A verified REFUND_STATUS webhook for this refund: Cashfree's refund_status and its refund id. */
public record RefundStatusEvent(String eventId, String cfRefundId, String status) {}
