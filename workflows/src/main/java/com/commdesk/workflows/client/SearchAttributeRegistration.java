package com.commdesk.workflows.client;

import com.commdesk.workflows.SearchKeys;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesResponse;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes sure the namespace knows every {@link SearchKeys} definition before a worker polls:
 * a workflow that upserts an unregistered attribute fails its workflow task, which would stall
 * payments. Adds what is missing (the dev server and Temporal's Java test server both implement the
 * operator API), and refuses to go on when an attribute exists with another type or cannot be
 * added (e.g. Temporal Cloud, where attributes are created with tcld: docs/operations.md).
 */
public final class SearchAttributeRegistration {
    private SearchAttributeRegistration() {}

    /** Thrown when the namespace lacks an attribute and this client may not add it. */
    public static final class MissingSearchAttributesException extends RuntimeException {
        public MissingSearchAttributesException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Returns the names that were added (empty when all were there already). */
    public static List<String> ensure(WorkflowServiceStubs workflowStubs, String namespace) {
        OperatorServiceStubs operator = OperatorServiceStubs.newServiceStubs(OperatorServiceStubsOptions.newBuilder()
                .setChannel(workflowStubs.getRawChannel()).validateAndBuildWithDefaults());
        try {
            return ensure(operator, namespace);
        } finally {
            operator.shutdown();
        }
    }

    public static List<String> ensure(OperatorServiceStubs operator, String namespace) {
        Map<String, IndexedValueType> existing;
        try {
            existing = list(operator, namespace);
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED) throw e;
            return addOneByOne(operator, namespace); // Temporal's Java test server has no list call
        }
        Map<String, IndexedValueType> missing = new LinkedHashMap<>();
        for (SearchKeys.Definition d : SearchKeys.ALL) {
            IndexedValueType have = existing.get(d.name());
            if (have == null) {
                missing.put(d.name(), d.type());
            } else if (have != d.type()) {
                throw new MissingSearchAttributesException("search attribute " + d.name() + " exists in namespace " + namespace
                        + " as " + have + ", CommDesk needs " + d.type(), null);
            }
        }
        if (missing.isEmpty()) return List.of();
        add(operator, namespace, missing);
        return List.copyOf(missing.keySet());
    }

    /** Without a list call the type of an existing attribute cannot be checked here; the server checks it on upsert. */
    private static List<String> addOneByOne(OperatorServiceStubs operator, String namespace) {
        List<String> added = new ArrayList<>();
        for (SearchKeys.Definition d : SearchKeys.ALL) {
            try {
                add(operator, namespace, Map.of(d.name(), d.type()));
                added.add(d.name());
            } catch (MissingSearchAttributesException e) {
                if (!(e.getCause() instanceof StatusRuntimeException s) || s.getStatus().getDescription() == null
                        || !s.getStatus().getDescription().contains("already exists")) {
                    throw e;
                }
            }
        }
        return List.copyOf(added);
    }

    private static void add(OperatorServiceStubs operator, String namespace, Map<String, IndexedValueType> missing) {
        try {
            operator.blockingStub().addSearchAttributes(AddSearchAttributesRequest.newBuilder()
                    .setNamespace(namespace).putAllSearchAttributes(missing).build());
        } catch (RuntimeException e) {
            throw new MissingSearchAttributesException("namespace " + namespace + " lacks search attributes " + missing.keySet()
                    + " and they could not be added (" + e.getMessage() + "); create them as docs/operations.md shows", e);
        }
    }

    private static Map<String, IndexedValueType> list(OperatorServiceStubs operator, String namespace) {
        ListSearchAttributesResponse r = operator.blockingStub()
                .listSearchAttributes(ListSearchAttributesRequest.newBuilder().setNamespace(namespace).build());
        Map<String, IndexedValueType> all = new LinkedHashMap<>(r.getCustomAttributesMap());
        all.putAll(r.getSystemAttributesMap());
        return all;
    }
}
