package com.commdesk.cashfree.sim;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;

/** The one Jackson configuration of the simulator: exact decimals in both directions. */
final class Json {

    /** Reads floats as BigDecimal (never double) and writes BigDecimal as plain text ("1000.00", not "1E+3"). */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    static final JsonNodeFactory NODES = MAPPER.getNodeFactory();

    private Json() {
    }

    /** Rupees as Cashfree writes them, from paise, exactly: 12345 -> 123.45. */
    static BigDecimal rupees(long paise) {
        return BigDecimal.valueOf(paise, 2);
    }

    /**
     * Paise from a JSON number of rupees, exactly.
     *
     * @throws IllegalArgumentException if it is not a number or has fractions of a paisa
     */
    static long paise(JsonNode amount) {
        if (amount == null || !amount.isNumber()) {
            throw new IllegalArgumentException("not a number");
        }
        BigDecimal rupees = amount.decimalValue();
        try {
            return rupees.movePointRight(2).longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("amount " + rupees.toPlainString() + " is not a whole number of paise");
        }
    }
}
