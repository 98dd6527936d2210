package com.commdesk.worker;

import com.commdesk.activities.cashfree.CashfreePayoutConfig;
import com.commdesk.activities.cashfree.CashfreePayoutsClient;
import com.commdesk.activities.payout.PayoutActivitiesImpl;
import com.commdesk.activities.payout.PayoutSettings;
import com.commdesk.activities.payout.TemporalPayoutLauncher;
import io.micrometer.core.instrument.Gauge;
import io.temporal.client.WorkflowClient;
import com.commdesk.ledger.LedgerDatabase;
import com.commdesk.ledger.payout.FinanceResolutions;
import com.commdesk.ledger.payout.PayoutRepository;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Settlement and payout activities: Cashfree Payouts v2 with its own keys and second factor
 * ({@code CASHFREE_PAYOUT_*}, never the PG keys) and the payout tables.
 */
@Configuration(proxyBeanMethods = false)
public class PayoutConfiguration {
    /** {@code commdesk.payouts.*} properties; defaults in {@link PayoutSettings#defaults()} (docs/payouts.md). */
    @Bean
    PayoutSettings payoutSettings(Environment env) {
        PayoutSettings d = PayoutSettings.defaults();
        return new PayoutSettings(
                env.getProperty("commdesk.payouts.approval-threshold-paise", Long.class, d.approvalThresholdPaise()),
                env.getProperty("commdesk.payouts.escalate-after", Duration.class, d.escalateAfter()),
                env.getProperty("commdesk.payouts.approval-timeout", Duration.class, d.approvalTimeout()),
                env.getProperty("commdesk.payouts.poll-interval", Duration.class, d.pollInterval()),
                env.getProperty("commdesk.payouts.max-poll-interval", Duration.class, d.maxPollInterval()),
                env.getProperty("commdesk.payouts.reversal-window", Duration.class, d.reversalWindow()),
                env.getProperty("commdesk.payouts.instant-interval", Duration.class, d.instantInterval()),
                env.getProperty("commdesk.payouts.resend-grace", Duration.class, d.resendGrace()),
                env.getProperty("commdesk.payouts.attention-after", Duration.class, d.attentionAfter()));
    }

    @Bean
    PayoutActivitiesImpl payoutActivities(Environment env, LedgerDatabase db, PayoutSettings settings, MeterRegistry metrics,
                                          WorkflowClient client) {
        CashfreePayoutConfig config = CashfreePayoutConfig.fromEnv(WorkerConfiguration.settings(env, PAYOUT_SETTINGS));
        // One Ledger (one account cache) for every part of payouts in this worker.
        com.commdesk.ledger.Ledger ledger = new com.commdesk.ledger.Ledger(db.dsl());
        PayoutRepository payouts = new PayoutRepository(ledger);
        // Alerting watches this: every payout here has money locked and needs a finance decision. Nothing else holds
        // this FinanceResolutions, and Micrometer holds a gauge's object weakly: without the strong reference the
        // gauge reads NaN after a garbage collection and the alert never fires (ObservabilityTest).
        Gauge.builder("commdesk.payouts.needs.attention", new FinanceResolutions(ledger), FinanceResolutions::countNeedingAttention)
                .strongReference(true)
                .description("Payouts whose transfer outcome is unknown and wait for finance (money locked)").register(metrics);
        return new PayoutActivitiesImpl(payouts, new CashfreePayoutsClient(config), settings, Clock.systemUTC(), metrics,
                new TemporalPayoutLauncher(client));
    }

    static final List<String> PAYOUT_SETTINGS = List.of("CASHFREE_PAYOUT_CLIENT_ID", "CASHFREE_PAYOUT_CLIENT_SECRET",
            "CASHFREE_PAYOUT_PUBLIC_KEY", "CASHFREE_PAYOUT_2FA", "CASHFREE_PAYOUT_BASE_URL", "CASHFREE_ENV", "CASHFREE_BASE_URL",
            "CASHFREE_TIMEOUT_MS");
}
