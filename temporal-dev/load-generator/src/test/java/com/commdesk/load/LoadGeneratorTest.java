package com.commdesk.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LoadGeneratorTest {
    private static final Map<String, String> ENV = Map.of("DATABASE_URL", "jdbc:postgresql://x/y");

    @Test
    void theWarmUpWindowSelectsHandOversByTheirStartAndVia() {
        List<Samples.Handover> all = List.of(
                new Samples.Handover("a", "c", 100, "REST", 1_000, 900, 202),
                new Samples.Handover("b", "c", 100, "REST", 31_000, 20, 202),
                new Samples.Handover("c", "c", 100, "REST", 32_000, 10, 202),
                new Samples.Handover("d", "c", 100, "WEBHOOK", 33_000, 5, 200));
        assertThat(LoadGenerator.latencies(all, "REST", h -> h.startedAtEpochMs() >= 31_000)).containsExactly(10, 20);
        assertThat(LoadGenerator.latencies(all, "REST", h -> h.startedAtEpochMs() < 31_000)).containsExactly(900);
        assertThat(LoadGenerator.latencies(all, "WEBHOOK", h -> true)).containsExactly(5);
    }

    @Test
    void preparingAndDrivingDrawTheSamePaymentsFromTheSeed() {
        LoadSettings s = LoadSettings.parse(new String[] {"--communities", "a,b,c", "--webhook-share", "0.4", "--seed", "7"}, ENV);
        SplittableRandom first = new SplittableRandom(s.seed()), second = new SplittableRandom(s.seed());
        int webhooks = 0;
        for (long n = 0; n < 1_000; n++) {
            LoadGenerator.Plan p = LoadGenerator.Plan.draw(s, first, n);
            assertThat(LoadGenerator.Plan.draw(s, second, n)).isEqualTo(p);
            assertThat(p.community()).isEqualTo(List.of("a", "b", "c").get((int) (n % 3)));
            assertThat(p.amountPaise()).isBetween(s.minAmountPaise(), s.maxAmountPaise());
            if (p.viaWebhook()) webhooks++;
        }
        // The share is honoured (not a constant): 0.4 of 1,000 within a wide margin.
        assertThat(webhooks).isBetween(300, 500);
    }
}
