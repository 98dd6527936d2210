package com.commdesk.activities.cashfree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CashfreeAmountsTest {

    @ParameterizedTest
    @ValueSource(longs = {1L, 7L, 10L, 99L, 100L, 101L, 123_456_789L, 999_999_999_999L, 1_000_000_000_000L,
            100_000_000_000_001L})
    void requestAmountsSayExactlyThePaise(long paise) {
        Double d = CashfreeAmounts.toRequestAmount(paise);
        // Gson writes a Double with Double.toString: parse that text back
        assertThat(new BigDecimal(Double.toString(d)).movePointRight(2).longValueExact()).isEqualTo(paise);
    }

    @Test
    void sevenPaiseAndOneSixtyTwoRupeesAreNotFloatArithmetic() {
        assertThat(Double.toString(CashfreeAmounts.toRequestAmount(7))).isEqualTo("0.07");
        assertThat(Double.toString(CashfreeAmounts.toRequestAmount(123_456_789))).isEqualTo("1234567.89");
        assertThat(Double.toString(CashfreeAmounts.toRequestAmount(1_000_000_000_000L))).isEqualTo("1.0E10");
    }

    @Test
    void amountsADoubleCannotCarryAreRefused() {
        assertThatThrownBy(() -> CashfreeAmounts.toRequestAmount(9_007_199_254_740_993L))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exactly");
        assertThatThrownBy(() -> CashfreeAmounts.toRequestAmount(Long.MAX_VALUE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CashfreeAmounts.toRequestAmount(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CashfreeAmounts.toRequestAmount(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void responseAmountsToPaise() {
        assertThat(CashfreeAmounts.toPaise(new BigDecimal("0.07"))).isEqualTo(7);
        assertThat(CashfreeAmounts.toPaise(new BigDecimal("1234567.89"))).isEqualTo(123_456_789);
        assertThat(CashfreeAmounts.toPaise(new BigDecimal("1.0E10"))).isEqualTo(1_000_000_000_000L);
        assertThat(CashfreeAmounts.toPaise(new BigDecimal("22"))).isEqualTo(2_200);
        assertThat(CashfreeAmounts.toPaise(new BigDecimal("0.010"))).isEqualTo(1);
        assertThatThrownBy(() -> CashfreeAmounts.toPaise(new BigDecimal("10.001"))).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> CashfreeAmounts.toPaise(new BigDecimal("1E+30"))).isInstanceOf(ArithmeticException.class);
    }
}
