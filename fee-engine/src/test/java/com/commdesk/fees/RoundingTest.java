package com.commdesk.fees;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every rounding unit × mode on hand-checked quotients (all inputs non-negative by construction). */
class RoundingTest {

    @ParameterizedTest(name = "{0}/{1} {2} → HALF_UP {3}, HALF_EVEN {4}, FLOOR {5}, CEILING {6}")
    @CsvSource({
            // num, den, unit,  HALF_UP, HALF_EVEN, FLOOR, CEILING      hand computation
            "7,     2,  PAISE,  4,  4,  3,  4",   // 3.5: tie, 3 is odd → HALF_EVEN up to 4
            "5,     2,  PAISE,  3,  2,  2,  3",   // 2.5: tie, 2 is even → HALF_EVEN stays 2
            "11,    4,  PAISE,  3,  3,  2,  3",   // 2.75: above half
            "9,     4,  PAISE,  2,  2,  2,  3",   // 2.25: below half
            "6,     2,  PAISE,  3,  3,  3,  3",   // 3 exactly: no mode moves it
            "0,     7,  PAISE,  0,  0,  0,  0",   // 0
            "1,     3,  PAISE,  0,  0,  0,  1",   // 0.333…
            "2,     3,  PAISE,  1,  1,  0,  1",   // 0.666…
            "29520000, 10000, PAISE, 2952, 2952, 2952, 2952", // gateway GST of Example 1: 16,400 × 1800 / 10000
            "29520000, 10000, RUPEE, 3000, 3000, 2900, 3000", // ₹29.52 → ₹30 / ₹30 / ₹29 / ₹30
            "15050, 1,  RUPEE,  15100, 15000, 15000, 15100",  // ₹150.50: tie, 150 even → HALF_EVEN ₹150
            "15150, 1,  RUPEE,  15200, 15200, 15100, 15200",  // ₹151.50: tie, 151 odd → HALF_EVEN ₹152
            "15049, 1,  RUPEE,  15000, 15000, 15000, 15100",  // ₹150.49
            "15051, 1,  RUPEE,  15100, 15100, 15000, 15100",  // ₹150.51
            "1,     1,  RUPEE,  0,  0,  0,  100",             // one paisa: only CEILING reaches a rupee
            "50,    1,  RUPEE,  100, 0, 0,  100",             // ₹0.50: tie, 0 even → HALF_EVEN ₹0
            "150,   1,  RUPEE,  200, 200, 100, 200",          // ₹1.50: tie, 1 odd → HALF_EVEN ₹2
            "80064800, 1000, PAISE, 80065, 80065, 80064, 80065", // FACTS.md platform fee 80,064.8
            "10000000000000000, 10000, PAISE, 1000000000000, 1000000000000, 1000000000000, 1000000000000", // 10^12 exactly
            "1180000, 11800, PAISE, 100, 100, 100, 100",      // an exact quotient: 1,180,000 / 11,800 = 100
    })
    void roundsEachModeAndUnit(long num, long den, RoundingUnit unit, long halfUp, long halfEven, long floor, long ceiling) {
        assertThat(new Rounding(unit, RoundingMode.HALF_UP).round(num, den)).isEqualTo(halfUp);
        assertThat(new Rounding(unit, RoundingMode.HALF_EVEN).round(num, den)).isEqualTo(halfEven);
        assertThat(new Rounding(unit, RoundingMode.FLOOR).round(num, den)).isEqualTo(floor);
        assertThat(new Rounding(unit, RoundingMode.CEILING).round(num, den)).isEqualTo(ceiling);
    }

    @ParameterizedTest
    @CsvSource({"-1, 1, numerator", "1, 0, denominator", "1, -5, denominator"})
    void rejectsNegativeInputs(long num, long den, String field) {
        assertThatThrownBy(() -> Rounding.PAISE_HALF_UP.round(num, den))
                .isInstanceOfSatisfying(FeeValidationException.class, e -> assertThat(e.field()).isEqualTo(field));
    }
}
