package com.commdesk.workflows.payout;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every committed history of PayoutWorkflow, SettlementWorkflow and SettlementCycleWorkflow
 * (recorded by {@link RecordPayoutHistories}) replays against today's code. A change that is not
 * guarded by Workflow.getVersion fails here with a non-determinism error, before it can break
 * payouts, settlements or cycle clocks that are running in production.
 */
class PayoutWorkflowReplayTest {
    static final Path HISTORIES = Path.of("src/test/resources/histories");
    static final List<String> PREFIXES = List.of("payout-", "settlement-");

    static Stream<Path> histories() throws IOException {
        try (Stream<Path> files = Files.list(HISTORIES)) {
            var list = files.filter(p -> PREFIXES.stream().anyMatch(p.getFileName().toString()::startsWith)).sorted().toList();
            assertThat(list).as("committed payout histories in " + HISTORIES)
                    .anyMatch(p -> p.getFileName().toString().startsWith("payout-"))
                    .anyMatch(p -> p.getFileName().toString().startsWith("settlement-cycle-"))
                    .anyMatch(p -> p.getFileName().toString().startsWith("settlement-paid"));
            return list.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("histories")
    void replaysWithoutNonDeterminism(Path history) throws Exception {
        WorkflowReplayer.replayWorkflowExecution(history.toFile(), PayoutWorkflowImpl.class, SettlementWorkflowImpl.class,
                SettlementCycleWorkflowImpl.class);
    }
}
