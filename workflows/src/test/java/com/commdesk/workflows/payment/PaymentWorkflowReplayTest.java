package com.commdesk.workflows.payment;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every committed history of every released PaymentWorkflow version replays against today's code.
 * A change that is not guarded by Workflow.getVersion fails here with a non-determinism error,
 * before it can break payments that are in flight in production.
 */
class PaymentWorkflowReplayTest {
    static final Path HISTORIES = Path.of("src/test/resources/histories");

    static Stream<Path> histories() throws IOException {
        try (Stream<Path> files = Files.list(HISTORIES)) {
            var list = files.filter(p -> p.getFileName().toString().startsWith("payment-")).sorted().toList();
            assertThat(list).as("committed histories in " + HISTORIES).isNotEmpty();
            return list.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("histories")
    void replaysWithoutNonDeterminism(Path history) throws Exception {
        WorkflowReplayer.replayWorkflowExecution(history.toFile(), PaymentWorkflowImpl.class);
    }
}
