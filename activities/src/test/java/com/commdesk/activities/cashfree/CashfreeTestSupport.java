package com.commdesk.activities.cashfree;

import com.commdesk.cashfree.sim.CashfreeSimulator;
import com.commdesk.cashfree.sim.SimulatorConfig;
import java.time.Duration;

/**
 * Shared test constants. The cashfree_pg SDK keeps credentials in static fields, so every adapter these
 * tests open in one JVM uses the same ones (a "wrong secret" is simulated by a simulator that expects
 * another secret).
 */
final class CashfreeTestSupport {

    static final String CLIENT_ID = "TEST_CF_CLIENT_ID";
    static final String CLIENT_SECRET = "cfsk_test_0123456789abcdef_SECRET";

    private CashfreeTestSupport() {
    }

    static CashfreeSimulator startSimulator() {
        return CashfreeSimulator.start(new SimulatorConfig("127.0.0.1", 0, CLIENT_ID, CLIENT_SECRET));
    }

    static CashfreeConfig configFor(CashfreeSimulator sim, Duration timeout) {
        return new CashfreeConfig(CLIENT_ID, CLIENT_SECRET, CashfreeConfig.Environment.SANDBOX, sim.baseUrl(),
                null, timeout);
    }
}
