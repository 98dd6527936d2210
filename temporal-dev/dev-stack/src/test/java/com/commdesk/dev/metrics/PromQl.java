package com.commdesk.dev.metrics;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads, so a test can check that alert rules and dashboard
 * panels refer only to series the platform exposes (a typo would otherwise alert on nothing, forever).
 * Deliberately simple: strings, label matchers, durations and grouping clauses are removed, then every
 * remaining identifier that is neither a function call nor a keyword is a metric name.
 */
public final class PromQl {
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring",
            "group_left", "group_right", "offset", "bool", "inf", "nan");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_:][A-Za-z0-9_:]*");

    private PromQl() {}

    public static Set<String> metricNames(String expr) {
        String s = expr.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"")       // string literals
                .replaceAll("'(\\\\.|[^'\\\\])*'", "''")
                .replaceAll("\\{[^}]*}", " ")                                   // label matchers
                .replaceAll("\\[[^]]*]", " ")                                   // range and subquery durations
                .replaceAll("(?i)\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                .replaceAll("(?i)\\boffset\\s+\\S+", " ")
                .replaceAll("\\$\\{?[A-Za-z_]+}?", " ");                        // Grafana variables ($__rate_interval)
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            String id = m.group();
            int end = m.end();
            while (end < s.length() && Character.isWhitespace(s.charAt(end))) end++;
            boolean call = end < s.length() && s.charAt(end) == '(';
            boolean numberPart = m.start() > 0 && (Character.isDigit(s.charAt(m.start() - 1)) || s.charAt(m.start() - 1) == '.');
            if (!call && !numberPart && !KEYWORDS.contains(id.toLowerCase(java.util.Locale.ROOT))) names.add(id);
        }
        return names;
    }
}
