package com.commdesk.workflows.payment;

import com.commdesk.fees.FeeBreakdown;

/** The fee breakdown and the rule (id and version) that chose its schedule; ruleId is null for the default schedule. */
public record FeeCalculation(FeeBreakdown breakdown, String ruleId, Integer ruleVersion) {}
