package com.commdesk.api.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

class IndianMoneyTest {
    @Test
    void groupsTheIndianWay() {
        assertThat(IndianMoney.rupees(12_345_678L)).isEqualTo("\u20B91,23,456.78");
        assertThat(IndianMoney.amount(0)).isEqualTo("0.00");
        assertThat(IndianMoney.amount(5)).isEqualTo("0.05");
        assertThat(IndianMoney.amount(99_999)).isEqualTo("999.99");
        assertThat(IndianMoney.amount(100_000)).isEqualTo("1,000.00");
        assertThat(IndianMoney.amount(1_000_000)).isEqualTo("10,000.00");
        assertThat(IndianMoney.amount(10_000_000)).isEqualTo("1,00,000.00");
        assertThat(IndianMoney.amount(123_456_789_012L)).isEqualTo("1,23,45,67,890.12");
        assertThat(IndianMoney.rupees(-720_700)).isEqualTo("-\u20B97,207.00");
        assertThat(IndianMoney.amount(-5)).isEqualTo("-0.05");
        assertThat(IndianMoney.amount(Long.MAX_VALUE)).isEqualTo("92,23,37,20,36,85,47,758.07");
        assertThat(IndianMoney.amount(Long.MIN_VALUE)).isEqualTo("-92,23,37,20,36,85,47,758.08");
    }

    @Test
    void showsInstantsInIndiaTime() {
        assertThat(IndianMoney.ist(OffsetDateTime.parse("2026-10-31T18:29:59Z"))).isEqualTo("31 Oct 2026, 23:59 IST");
        assertThat(IndianMoney.ist(OffsetDateTime.parse("2026-10-31T18:30:00Z"))).isEqualTo("1 Nov 2026, 00:00 IST");
    }
}
