package com.commdesk.workflows.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.testing.TestWorkflowEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Registration against Temporal's Java test server, which has no list call: every attribute is added once and a
 * second run finds them all (the server answers "already exists"). Types are checked against the real server in
 * the real-Temporal tier (RealTemporalSearchAttributesIT).
 */
class SearchAttributeRegistrationTest {
    private TestWorkflowEnvironment env;

    @BeforeEach
    void start() {
        env = TestWorkflowEnvironment.newInstance();
    }

    @AfterEach
    void stop() {
        env.close();
    }

    @Test
    void addsEveryMissingAttributeOnceWithItsType() {
        assertThat(SearchAttributeRegistration.ensure(env.getOperatorServiceStubs(), env.getNamespace()))
                .containsExactly("CommunityId", "PaymentStage", "PaymentAmountPaise", "CashfreeOrderId", "PayoutStatus");
        assertThat(SearchAttributeRegistration.ensure(env.getOperatorServiceStubs(), env.getNamespace())).isEmpty();
    }
}
