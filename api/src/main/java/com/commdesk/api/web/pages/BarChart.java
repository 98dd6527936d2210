package com.commdesk.api.web.pages;

import com.commdesk.api.analytics.IndianMoney;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A bar chart drawn on the server as SVG: no chart script, readable without JavaScript, and the same
 * numbers as the table beside it (each bar has a title with its exact amount for screen readers and
 * hover). Heights are proportional by integer arithmetic.
 */
public record BarChart(int width, int height, List<Bar> bars, String maxLabel, String caption) {
    public record Bar(int x, int y, int width, int height, String label, String title, boolean labelled) {}

    static final int HEIGHT = 160, TOP = 14, BOTTOM = 20;

    public static BarChart of(String caption, List<LocalDate> buckets, List<Long> valuesPaise, boolean monthly) {
        int n = Math.max(1, buckets.size());
        int barWidth = Math.max(6, Math.min(40, 720 / n));
        int width = n * barWidth + 36; // room for the last label
        long max = valuesPaise.stream().mapToLong(Long::longValue).max().orElse(0);
        DateTimeFormatter fmt = DateTimeFormatter.ofPattern(monthly ? "MMM uuuu" : "d MMM", Locale.ENGLISH);
        List<Bar> bars = new ArrayList<>();
        int plot = HEIGHT - TOP - BOTTOM;
        for (int i = 0; i < buckets.size(); i++) {
            long v = Math.max(0, valuesPaise.get(i));
            int h = max == 0 ? 0 : (int) (v * plot / max);
            bars.add(new Bar(i * barWidth + 1, TOP + plot - h, barWidth - 2, h, fmt.format(buckets.get(i)),
                    fmt.format(buckets.get(i)) + ": " + IndianMoney.rupees(valuesPaise.get(i)), n <= 12 || i % Math.max(1, n / 8) == 0));
        }
        return new BarChart(width, HEIGHT, bars, IndianMoney.rupees(max), caption);
    }
}
