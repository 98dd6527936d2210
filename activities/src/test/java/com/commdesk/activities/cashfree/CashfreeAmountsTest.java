package com.commdesk.activities.cashfree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CashfreeAmountsTest {

    /** The rupees we send: exactly the paise, always two decimals, plain text at any size a long can hold. */
    @ParameterizedTest
    @ValueSource(longs = {1L, 7L, 10L, 99L, 100L, 101L, 5_000L, 123_456_789L, 999_999_999_999L, 1_000_000_000_000L,
            10_000_000_000_001L, 9_007_199_254_740_993L, Long.MAX_VALUE})
    void requestAmountsSayExactlyThePaise(long paise) {
        BigDecimal rupees = CashfreeAmounts.toRupees(paise);
        assertThat(rupees.scale()).isEqualTo(2);
        assertThat(CashfreeAmounts.toPaise(new BigDecimal(rupees.toPlainString()))).isEqualTo(paise);
        assertThat(rupees.toPlainString()).isEqualTo(rupees.toString()).matches("\\d+\\.\\d{2}");
    }

    @Test
    void sevenPaiseAndBigAmountsAreNotFloatArithmetic() {
        assertThat(CashfreeAmounts.toRupees(7).toString()).isEqualTo("0.07");
        assertThat(CashfreeAmounts.toRupees(5_000).toString()).isEqualTo("50.00");
        assertThat(CashfreeAmounts.toRupees(123_456_789).toString()).isEqualTo("1234567.89");
        assertThat(CashfreeAmounts.toRupees(10_000_000_000_001L).toString()).isEqualTo("100000000000.01");
        assertThat(CashfreeAmounts.toRupees(9_007_199_254_740_993L).toString()).isEqualTo("90071992547409.93");
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
