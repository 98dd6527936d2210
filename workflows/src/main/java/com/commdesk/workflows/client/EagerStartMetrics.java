package com.commdesk.workflows.client;

import com.uber.m3.tally.Scope;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionResponse;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;

/**
 * Counts eager workflow starts as they cross the wire (client side, gRPC): {@link #REQUESTED} when a start
 * asks the server for its first workflow task in the reply (the SDK asks only when a worker on the same
 * WorkflowClient polls the task queue and has a free slot, and the start options allow it), {@link #GRANTED}
 * when the server's reply carries that task, so the local worker runs it without a poll. Reported into
 * the SDK's metrics scope, so they appear on /actuator/prometheus beside the SDK's own metrics.
 */
public final class EagerStartMetrics implements ClientInterceptor {
    public static final String REQUESTED = "commdesk_eager_workflow_start_requested";
    public static final String GRANTED = "commdesk_eager_workflow_start_granted";

    private final Scope metrics;

    public EagerStartMetrics(Scope metrics) {
        this.metrics = metrics;
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        ClientCall<Q, R> call = next.newCall(method, options);
        if (!method.getFullMethodName().equals(WorkflowServiceGrpc.getStartWorkflowExecutionMethod().getFullMethodName())) return call;
        return new ForwardingClientCall.SimpleForwardingClientCall<>(call) {
            @Override
            public void sendMessage(Q message) {
                if (message instanceof StartWorkflowExecutionRequest r && r.getRequestEagerExecution()) metrics.counter(REQUESTED).inc(1);
                super.sendMessage(message);
            }

            @Override
            public void start(Listener<R> listener, Metadata headers) {
                super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
                    @Override
                    public void onMessage(R message) {
                        if (message instanceof StartWorkflowExecutionResponse r && r.hasEagerWorkflowTask()) metrics.counter(GRANTED).inc(1);
                        super.onMessage(message);
                    }
                }, headers);
            }
        };
    }
}
