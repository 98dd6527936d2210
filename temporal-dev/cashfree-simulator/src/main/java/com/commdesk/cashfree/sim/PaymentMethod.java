package com.commdesk.cashfree.sim;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The payment instruments the simulator can pay an order with, and how Cashfree reports each one:
 * {@code payment_group} (Cashfree's values) and the {@code payment_method} object of the 2023-08-01
 * payment entity and webhook.
 */
public enum PaymentMethod {
    UPI("upi"),
    /** A credit card; Cashfree reports {@code payment_group = credit_card}. */
    CARD("credit_card"),
    NETBANKING("net_banking"),
    /** Wallets are the {@code app} payment method at Cashfree, group {@code wallet}. */
    WALLET("wallet");

    private final String paymentGroup;

    PaymentMethod(String paymentGroup) {
        this.paymentGroup = paymentGroup;
    }

    /** Cashfree's {@code payment_group} value. */
    public String paymentGroup() {
        return paymentGroup;
    }

    /** Cashfree's {@code payment_method} object for this instrument (fixed, fake test instruments). */
    ObjectNode paymentMethodJson(JsonNodeFactory f) {
        ObjectNode method = f.objectNode();
        switch (this) {
            case UPI -> method.putObject("upi").put("channel", "collect").put("upi_id", "testsuccess@gocash");
            case CARD -> method.putObject("card")
                    .put("channel", "link")
                    .put("card_number", "XXXXXXXXXXXX1111")
                    .put("card_network", "visa")
                    .put("card_type", "credit_card")
                    .put("card_country", "IN")
                    .put("card_bank_name", "TEST Bank");
            case NETBANKING -> method.putObject("netbanking")
                    .put("channel", "link")
                    .put("netbanking_bank_code", 3044)
                    .put("netbanking_bank_name", "State Bank of India");
            case WALLET -> method.putObject("app")
                    .put("channel", "link")
                    .put("provider", "paytm")
                    .put("phone", "9999999999");
        }
        return method;
    }

    /** Parses {@code UPI|CARD|NETBANKING|WALLET}, case-insensitively. */
    public static PaymentMethod parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("payment_method is required: one of UPI, CARD, NETBANKING, WALLET");
        }
        for (PaymentMethod m : values()) {
            if (m.name().equalsIgnoreCase(text.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException("payment_method must be one of UPI, CARD, NETBANKING, WALLET; was '" + text + "'");
    }
}
