package com.commdesk.worker;

import com.commdesk.activities.cashfree.CashfreeConfig;
import com.commdesk.activities.cashfree.CashfreePayoutsClient;
import com.commdesk.activities.payout.PayoutActivitiesImpl;
import com.commdesk.activities.payout.PayoutSettings;
import com.commdesk.ledger.LedgerDatabase;
import com.commdesk.ledger.payouts.PayoutRepository;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Settlement and payout activities: Cashfree Payouts v2 (same credentials as PG) and the payout tables. */
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
                env.getProperty("commdesk.payouts.resend-grace", Duration.class, d.resendGrace()));
    }

    @Bean
    PayoutActivitiesImpl payoutActivities(Environment env, LedgerDatabase db, PayoutSettings settings, MeterRegistry metrics) {
        CashfreeConfig config = CashfreeConfig.fromEnv(WorkerConfiguration.settings(env,
                List.of("CASHFREE_CLIENT_ID", "CASHFREE_CLIENT_SECRET", "CASHFREE_ENV", "CASHFREE_BASE_URL")));
        return new PayoutActivitiesImpl(new PayoutRepository(db.dsl()), new CashfreePayoutsClient(config), settings,
                Clock.systemUTC(), metrics);
    }
}
