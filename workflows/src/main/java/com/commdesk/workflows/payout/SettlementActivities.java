package com.commdesk.workflows.payout;

import com.commdesk.workflows.payout.PayoutTypes.CyclePlan;
import com.commdesk.workflows.payout.PayoutTypes.PayoutPage;
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

    /**
     * Opens the settlement as {@link #openSettlement} does, but returns only how many payouts it has:
     * with thousands of payees no activity result may carry them all. Idempotent.
     */
    @ActivityMethod
    int openSettlementCount(SettlementRequest request);

    /**
     * Starts the payout workflows of one page of the settlement's payouts (payout id order, after
     * {@code afterPayoutId}, at most {@code limit}); one already started is left alone. Returns the page's ids.
     */
    @ActivityMethod
    PayoutPage startPayouts(String settlementId, String afterPayoutId, int limit);

    /** The settlement's status recomputed from its payouts (PENDING, APPROVED, PAID, FAILED, REVERSED). */
    @ActivityMethod
    String refreshSettlement(String settlementId);
}
