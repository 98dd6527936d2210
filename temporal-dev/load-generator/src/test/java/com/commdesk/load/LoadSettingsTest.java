package com.commdesk.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadSettingsTest {
    private static final Map<String, String> ENV = Map.of("DATABASE_URL", "jdbc:postgresql://x/y");

    @Test
    void defaultsFitTheDevStack() {
        LoadSettings s = LoadSettings.parse(new String[0], ENV);
        assertThat(s.api().toString()).isEqualTo("http://127.0.0.1:8080");
        assertThat(s.plannedPayments()).isEqualTo(3_000);
        assertThat(s.communities()).containsExactly("demo-community");
        assertThat(s.expectNoneParked()).isTrue();
        assertThat(s.burst()).isZero();
        assertThat(s.velocityFloor()).isNull();
    }

    @Test
    void aBurstAndAnEventFloorAreOptIn() {
        LoadSettings s = LoadSettings.parse(new String[] {"--burst", "20", "--velocity-floor", "10000"}, ENV);
        assertThat(s.burst()).isEqualTo(20);
        assertThat(s.velocityFloor()).isEqualTo(10_000);
        assertThatThrownBy(() -> LoadSettings.parse(new String[] {"--velocity-floor", "0"}, ENV)).hasMessageContaining("--velocity-floor");
        assertThatThrownBy(() -> LoadSettings.parse(new String[] {"--burst", "-1"}, ENV)).hasMessageContaining("--burst");
    }

    @Test
    void aWarmUpIsPartOfTheDurationAndPreparingOrdersIsOptIn() {
        LoadSettings plain = LoadSettings.parse(new String[0], ENV);
        assertThat(plain.warmup()).isZero();
        assertThat(plain.prepareOrders()).isFalse();
        LoadSettings s = LoadSettings.parse(new String[] {"--rate", "100", "--duration", "PT90S", "--warmup", "PT30S", "--prepare-orders"}, ENV);
        assertThat(s.warmup()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.prepareOrders()).isTrue();
        assertThat(s.plannedPayments()).isEqualTo(9_000);
        assertThatThrownBy(() -> LoadSettings.parse(new String[] {"--duration", "PT60S", "--warmup", "PT60S"}, ENV))
                .hasMessageContaining("--warmup");
        assertThatThrownBy(() -> LoadSettings.parse(new String[] {"--warmup", "-5"}, ENV)).hasMessageContaining("--warmup");
        // the prepared orders' numbers are held in memory: bounded, refused before anything is sent
        assertThatThrownBy(() -> LoadSettings.parse(new String[] {"--rate", "1000", "--duration", "PT1H", "--prepare-orders"}, ENV))
                .hasMessageContaining("--prepare-orders");
    }

    @Test
    void rateTimesDurationIsThePlan() {
        LoadSettings s = LoadSettings.parse(new String[] {"--rate", "100", "--duration", "PT5M", "--communities", "a, b"}, ENV);
        assertThat(s.plannedPayments()).isEqualTo(30_000);
        assertThat(s.duration()).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.communities()).containsExactly("a", "b");
        assertThat(LoadSettings.parse(new String[] {"--duration", "90"}, ENV).duration()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void refusesWhatItCannotMean() {
        assertThatThrownBy(() -> LoadSettings.parse(new String[0], Map.of())).hasMessageContaining("--database-url");
        assertThatThrownBy(() -> LoadSettings.parse(new String[] {"--rate", "0"}, ENV)).hasMessageContaining("--rate");
        assertThatThrownBy(() -> LoadSettings.parse(new String[] {"--webhook-share", "1.5"}, ENV)).hasMessageContaining("--webhook-share");
        assertThatThrownBy(() -> LoadSettings.parse(new String[] {"--rate", "1", "--rate", "2"}, ENV)).hasMessageContaining("twice");
        assertThatThrownBy(() -> LoadSettings.parse(new String[] {"--speed", "1"}, ENV)).hasMessageContaining("unknown option");
        assertThatThrownBy(() -> LoadSettings.parse(new String[] {"--min-amount-paise", "500", "--max-amount-paise", "400"}, ENV))
                .hasMessageContaining("amounts");
    }
}
