package com.commdesk.activities.payment;

import com.commdesk.fees.FeeSchedule;
import com.commdesk.ledger.CommunityConfig;
import com.commdesk.workflows.payment.PaymentRequest;
import com.commdesk.workflows.payment.VerifiedPayment;

/** Chooses the fee schedule for a payment and names the rule (id, version) that chose it. */
@FunctionalInterface
public interface FeePolicy {
    /**
     * @param roles the rule's own role split, overriding the community's; null or empty = the community's roles
     */
    record Choice(FeeSchedule schedule, String ruleId, Integer ruleVersion, java.util.List<com.commdesk.fees.RoleSplit> roles) {
        public Choice(FeeSchedule schedule, String ruleId, Integer ruleVersion) {
            this(schedule, ruleId, ruleVersion, null);
        }
    }

    Choice choose(PaymentRequest request, VerifiedPayment verified, CommunityConfig community);

    /** One schedule for every payment: the platform default until rules are configured. */
    static FeePolicy fixed(FeeSchedule schedule) {
        com.commdesk.fees.FeeSchedules.validate(schedule);
        Choice choice = new Choice(schedule, null, null);
        return (request, verified, community) -> choice;
    }
}
