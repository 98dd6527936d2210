package com.commdesk.dev.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/** A scrape of /actuator/prometheus (text format 0.0.4), parsed into samples. */
public final class PrometheusText {
    /** One line of the scrape: a series and its value. */
    public record Sample(String name, Map<String, String> labels, double value) {}

    private final String raw;
    private final List<Sample> samples;

    private PrometheusText(String raw, List<Sample> samples) {
        this.raw = raw;
        this.samples = samples;
    }

    public static PrometheusText parse(String text) {
        List<Sample> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            out.add(parseLine(line));
        }
        return new PrometheusText(text, List.copyOf(out));
    }

    static Sample parseLine(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        Map<String, String> labels = new LinkedHashMap<>();
        String name;
        int rest;
        if (brace >= 0 && (space < 0 || brace < space)) {
            name = line.substring(0, brace);
            int i = brace + 1;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                String key = line.substring(i, eq).trim();
                if (line.charAt(eq + 1) != '"') throw new IllegalArgumentException("label value not quoted: " + line);
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                for (; line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char n = line.charAt(++j);
                        value.append(n == 'n' ? '\n' : n);
                    } else {
                        value.append(c);
                    }
                }
                labels.put(key, value.toString());
                i = j + 1;
                if (line.charAt(i) == ',') i++;
            }
            rest = i + 1;
        } else {
            name = line.substring(0, space);
            rest = space;
        }
        String[] valueAndTime = line.substring(rest).trim().split(" ");
        return new Sample(name, Map.copyOf(labels), parseValue(valueAndTime[0]));
    }

    private static double parseValue(String v) {
        return switch (v) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(v);
        };
    }

    public String raw() {
        return raw;
    }

    public List<Sample> samples() {
        return samples;
    }

    /** Every metric name in the scrape (as Prometheus stores it, e.g. with _total, _bucket, _count). */
    public Set<String> names() {
        Set<String> names = new TreeSet<>();
        samples.forEach(s -> names.add(s.name()));
        return names;
    }

    /** The sum of every series of {@code name} whose labels pass {@code labels}; 0 if there is none. */
    public double sum(String name, Predicate<Map<String, String>> labels) {
        return samples.stream().filter(s -> s.name().equals(name) && labels.test(s.labels()))
                .mapToDouble(Sample::value).filter(v -> !Double.isNaN(v)).sum();
    }

    public double sum(String name) {
        return sum(name, l -> true);
    }

    /** The sum of the series of {@code name} with label {@code key} = {@code value}. */
    public double sum(String name, String key, String value) {
        return sum(name, l -> value.equals(l.get(key)));
    }

    public boolean has(String name) {
        return samples.stream().anyMatch(s -> s.name().equals(name));
    }
}
