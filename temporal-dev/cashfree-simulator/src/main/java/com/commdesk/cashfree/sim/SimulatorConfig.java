package com.commdesk.cashfree.sim;

import java.net.URI;
import java.util.Objects;

/**
 * How a {@link CashfreeSimulator} is started.
 *
 * @param host                 interface to bind, e.g. {@code 127.0.0.1}
 * @param port                 TCP port; {@code 0} picks a free one
 * @param clientId             the {@code x-client-id} requests must carry
 * @param clientSecret         the {@code x-client-secret} requests must carry; also the webhook signing key,
 *                             as at Cashfree
 * @param maxOrders            how many orders the simulator keeps before refusing new ones (memory bound)
 * @param minOrderAmountPaise  smallest {@code order_amount} that {@code POST /pg/orders} accepts
 *                             (Cashfree's minimum is ₹1.00 = 100 paise). The Java/control APIs that seed
 *                             orders directly ignore it, so tests can still exercise sub-rupee amounts.
 * @param webhookUrl           where webhooks go after a payment; {@code null} = nowhere until set
 * @param payoutClientId       the Payouts {@code x-client-id}: Cashfree issues Payouts keys apart from the PG keys
 * @param payoutClientSecret   the Payouts {@code x-client-secret}; also the payout webhook signing key
 */
public record SimulatorConfig(String host, int port, String clientId, String clientSecret,
                              int maxOrders, long minOrderAmountPaise, URI webhookUrl, String payoutClientId,
                              String payoutClientSecret) {

    public static final int DEFAULT_MAX_ORDERS = 100_000;
    public static final long CASHFREE_MIN_ORDER_AMOUNT_PAISE = 100;

    public SimulatorConfig {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        if (clientId == null || clientId.isBlank()) {
            throw new IllegalArgumentException("clientId must not be blank");
        }
        if (clientSecret == null || clientSecret.isBlank()) {
            throw new IllegalArgumentException("clientSecret must not be blank");
        }
        if (maxOrders < 1) {
            throw new IllegalArgumentException("maxOrders must be >= 1, was " + maxOrders);
        }
        if (payoutClientId == null || payoutClientId.isBlank() || payoutClientSecret == null || payoutClientSecret.isBlank()) {
            throw new IllegalArgumentException("the Payouts client id and secret must not be blank");
        }
        if (payoutClientId.equals(clientId) || payoutClientSecret.equals(clientSecret)) {
            throw new IllegalArgumentException("Payouts keys must differ from the PG keys, as at Cashfree");
        }
        if (minOrderAmountPaise < 1) {
            throw new IllegalArgumentException("minOrderAmountPaise must be >= 1, was " + minOrderAmountPaise);
        }
    }

    /**
     * The usual case: Cashfree's limits, {@value #DEFAULT_MAX_ORDERS} orders kept, no webhook target, and
     * Payouts keys derived from the PG keys ({@code <id>-payouts}, {@code <secret>-payouts}).
     */
    public SimulatorConfig(String host, int port, String clientId, String clientSecret) {
        this(host, port, clientId, clientSecret, DEFAULT_MAX_ORDERS, CASHFREE_MIN_ORDER_AMOUNT_PAISE, null, clientId + "-payouts",
                clientSecret + "-payouts");
    }

    public SimulatorConfig withPayoutKeys(String newPayoutClientId, String newPayoutClientSecret) {
        return new SimulatorConfig(host, port, clientId, clientSecret, maxOrders, minOrderAmountPaise, webhookUrl, newPayoutClientId,
                newPayoutClientSecret);
    }

    public SimulatorConfig withMaxOrders(int newMaxOrders) {
        return new SimulatorConfig(host, port, clientId, clientSecret, newMaxOrders, minOrderAmountPaise, webhookUrl, payoutClientId,
                payoutClientSecret);
    }

    public SimulatorConfig withMinOrderAmountPaise(long newMin) {
        return new SimulatorConfig(host, port, clientId, clientSecret, maxOrders, newMin, webhookUrl, payoutClientId, payoutClientSecret);
    }

    public SimulatorConfig withWebhookUrl(URI newWebhookUrl) {
        return new SimulatorConfig(host, port, clientId, clientSecret, maxOrders, minOrderAmountPaise, newWebhookUrl, payoutClientId,
                payoutClientSecret);
    }

    /** Never prints the secret. */
    @Override
    public String toString() {
        return "SimulatorConfig[host=" + host + ", port=" + port + ", clientId=" + clientId
                + ", clientSecret=***, payoutClientId=" + payoutClientId + ", payoutClientSecret=***, maxOrders=" + maxOrders + ", minOrderAmountPaise=" + minOrderAmountPaise
                + ", webhookUrl=" + webhookUrl + "]";
    }
}
