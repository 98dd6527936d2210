package com.commdesk.workflows;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.common.WorkflowExecutionHistory;
import java.util.ArrayList;
import java.util.List;

/** The runs of one workflow id that continued as new, for tests that bound each run's history. */
public final class RunChain {
    private RunChain() {}

    /** Every run of the workflow, first to last (following each run's continued-from run id back from the latest). */
    public static List<WorkflowExecutionHistory> runs(WorkflowClient client, String workflowId) {
        List<WorkflowExecutionHistory> runs = new ArrayList<>();
        WorkflowExecutionHistory run = client.fetchHistory(workflowId);
        while (true) {
            runs.addFirst(run);
            String previous = run.getEvents().get(0).getWorkflowExecutionStartedEventAttributes().getContinuedExecutionRunId();
            if (previous.isEmpty()) return runs;
            run = client.fetchHistory(workflowId, previous);
        }
    }

    public static EventType last(WorkflowExecutionHistory run) {
        List<HistoryEvent> events = run.getEvents();
        return events.get(events.size() - 1).getEventType();
    }
}
