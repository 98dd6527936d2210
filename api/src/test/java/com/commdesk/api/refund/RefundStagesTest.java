package com.commdesk.api.refund;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.commdesk.workflows.refund.RefundStatus;
import com.commdesk.workflows.refund.RefundWorkflow;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The limits of asking a page of refunds' workflows for their stages (s18, review of the waiting-refunds list). */
class RefundStagesTest {
    @Test
    void aQueryThatGetsNoSlotWithinThePagesTimeIsNotSentAndSaysSo() throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        WorkflowClient workflows = mock(WorkflowClient.class);
        RefundWorkflow slow = mock(RefundWorkflow.class);
        when(slow.status()).thenAnswer(i -> {
            held.await(30, TimeUnit.SECONDS);
            return new RefundStatus("x", RefundStatus.Stage.AWAITING_CASHFREE, null, null, null);
        });
        for (String id : List.of("rf-1", "rf-2")) when(workflows.newWorkflowStub(RefundWorkflow.class, RefundWorkflow.workflowId(id))).thenReturn(slow);
        RefundStages stages = new RefundStages(workflows, 1, 1, Duration.ofSeconds(2));
        try {
            List<RefundStages.Stage> page = stages.of(List.of("rf-1", "rf-2"));
            // one slot: whichever query took it was sent and got no answer in time; the other never went (the slot the
            // cancelled query frees is not taken after the page's time: the page is closed before its queries are cancelled)
            assertThat(page).extracting(RefundStages.Stage::answer)
                    .containsExactlyInAnyOrder(RefundStages.Answer.NOT_ANSWERED, RefundStages.Answer.NOT_ASKED);
            assertThat(page).allSatisfy(s -> assertThat(s.status()).isNull());
            verify(slow, times(1)).status();

            // the cancelled query gave its slot back: the next page is asked and answered
            RefundWorkflow fast = mock(RefundWorkflow.class);
            when(fast.status()).thenReturn(new RefundStatus("rf-3", RefundStatus.Stage.NEEDS_ATTENTION, null, null, null));
            when(workflows.newWorkflowStub(RefundWorkflow.class, RefundWorkflow.workflowId("rf-3"))).thenReturn(fast);
            List<RefundStages.Stage> next = stages.of(List.of("rf-3"));
            assertThat(next).extracting(RefundStages.Stage::answer).containsExactly(RefundStages.Answer.ANSWERED);
            assertThat(next.get(0).status().stage()).isEqualTo(RefundStatus.Stage.NEEDS_ATTENTION);
        } finally {
            held.countDown();
            stages.close();
        }
    }

    @Test
    void anEmptyPageAsksNobody() {
        WorkflowClient workflows = mock(WorkflowClient.class);
        RefundStages stages = new RefundStages(workflows, 1, 1, Duration.ofSeconds(1));
        assertThat(stages.of(List.of())).isEmpty();
        org.mockito.Mockito.verifyNoInteractions(workflows);
        stages.close();
    }
}
