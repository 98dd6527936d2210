package com.commdesk.workflows.payment;

import com.commdesk.fees.FeeBreakdown;
import com.commdesk.fees.RoleAllocation;
import java.util.List;

/** A payment as its workflow knows it; answered by the status query at any time. */
public record PaymentStatus(String paymentId, PaymentStage stage, FeeBreakdown breakdown, String ruleId,
                            Integer ruleVersion, List<RoleAllocation> shares, String transactionId, Long journalId,
                            Long releaseAtEpochMillis, String error, PaymentStage parkedStep, List<String> fraudReasons,
                            String decidedBy, int cashfreeEvents) {}
