package com.commdesk.workflows.payout;

import com.commdesk.workflows.payout.PayoutTypes.CyclePlan;
import com.commdesk.workflows.payout.PayoutTypes.PayoutRequest;
import com.commdesk.workflows.payout.PayoutTypes.SettlementRequest;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

@ActivityInterface
public interface SettlementActivities {
    /** The community's policy now and the cut-off of its next cycle after {@code afterMillis}. */
    @ActivityMethod
    CyclePlan nextCycle(String communityId, long afterMillis);

    /**
     * Opens the settlement and creates its payouts (members with available >= minimum payout and a
     * beneficiary), each with its approval need and timings. Idempotent: a second call returns the same.
     */
    @ActivityMethod
    List<PayoutRequest> openSettlement(SettlementRequest request);

    /** The settlement's status recomputed from its payouts (PENDING, APPROVED, PAID, FAILED, REVERSED). */
    @ActivityMethod
    String refreshSettlement(String settlementId);
}
