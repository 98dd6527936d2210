package com.commdesk.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SamplesTest {
    @Test
    void nearestRankPercentiles() {
        long[] v = Samples.sorted(new long[] {5, 1, 4, 2, 3, 10, 9, 8, 7, 6});
        assertThat(Samples.percentile(v, 50)).isEqualTo(5);
        assertThat(Samples.percentile(v, 90)).isEqualTo(9);
        assertThat(Samples.percentile(v, 99)).isEqualTo(10);
        assertThat(Samples.percentile(v, 0)).isEqualTo(1);
        assertThat(Samples.percentile(new long[0], 50)).isEqualTo(-1);
        assertThat(Samples.percentile(new long[] {42}, 99)).isEqualTo(42);
    }

    @Test
    void errorsAreCountedByKind() {
        Samples s = new Samples();
        s.error("timeout");
        s.error("timeout");
        s.error("HTTP 503");
        assertThat(s.errorCount()).isEqualTo(3);
        assertThat(s.errorsByKind()).containsEntry("timeout", 2L).containsEntry("HTTP 503", 1L);
    }
}
