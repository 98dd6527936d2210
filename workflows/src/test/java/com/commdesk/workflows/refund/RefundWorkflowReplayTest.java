package com.commdesk.workflows.refund;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every committed history of every released RefundWorkflow version replays against today's code.
 * A change that is not guarded by Workflow.getVersion fails here with a non-determinism error,
 * before it can break refunds that are in flight in production.
 */
class RefundWorkflowReplayTest {
    static final Path HISTORIES = Path.of("src/test/resources/histories");

    static Stream<Path> histories() throws IOException {
        try (Stream<Path> files = Files.list(HISTORIES)) {
            var list = files.filter(p -> p.getFileName().toString().startsWith("refund-")).sorted().toList();
            assertThat(list).as("committed histories in " + HISTORIES).isNotEmpty();
            return list.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("histories")
    void replaysWithoutNonDeterminism(Path history) throws Exception {
        WorkflowReplayer.replayWorkflowExecution(history.toFile(), RefundWorkflowImpl.class);
    }
}
