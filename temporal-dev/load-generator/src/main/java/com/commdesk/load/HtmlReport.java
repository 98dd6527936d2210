package com.commdesk.load;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A self-contained HTML page (inline SVG, no scripts) with the run's table and two plots over time. */
final class HtmlReport {
    private HtmlReport() {}

    /** A named series of (x, y) points; x in seconds since the run started. */
    record Series(String name, String colour, double[] x, double[] y) {}

    static String render(String title, Map<String, String> summary, List<Series> rates, List<Series> latencies, List<String> problems) {
        StringBuilder h = new StringBuilder("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(esc(title)).append("</title><style>body{font-family:system-ui,sans-serif;margin:2em;color:#111}"
                        + "table{border-collapse:collapse}td,th{border:1px solid #999;padding:.25em .6em;text-align:left}"
                        + "h2{margin-top:1.5em}.bad{color:#a00}.good{color:#060}</style></head><body><h1>")
                .append(esc(title)).append("</h1><table>");
        summary.forEach((k, v) -> h.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>"));
        h.append("</table><h2>Books</h2>");
        if (problems.isEmpty()) {
            h.append("<p class=\"good\">The books hold: invariants, trial balance, one journal per payment.</p>");
        } else {
            h.append("<ul class=\"bad\">");
            problems.forEach(p -> h.append("<li>").append(esc(p)).append("</li>"));
            h.append("</ul>");
        }
        h.append("<h2>Payments per second</h2>").append(plot(rates, "payments/s"));
        h.append("<h2>Hand-over latency per second of start</h2>").append(plot(latencies, "ms"));
        return h.append("</body></html>").toString();
    }

    static String plot(List<Series> series, String unit) {
        int w = 900, hgt = 320, left = 60, bottom = 40, top = 20, right = 160;
        double maxX = 1, maxY = 1;
        for (Series s : series) {
            for (double v : s.x()) maxX = Math.max(maxX, v);
            for (double v : s.y()) maxY = Math.max(maxY, v);
        }
        maxY = niceCeiling(maxY);
        double sx = (w - left - right) / maxX, sy = (hgt - top - bottom) / maxY;
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%s over time\">", w, hgt, esc(unit)));
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>", left, hgt - bottom, w - right, hgt - bottom));
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>", left, top, left, hgt - bottom));
        for (int i = 0; i <= 4; i++) {
            double v = maxY * i / 4;
            double y = hgt - bottom - v * sy;
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%s</text>", left - 4, y + 4, fmt(v)));
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>", left, y, w - right, y));
        }
        for (int i = 0; i <= 5; i++) {
            double v = maxX * i / 5;
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%ss</text>", left + v * sx, hgt - bottom + 16, fmt(v)));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"12\" y=\"%d\" font-size=\"11\">%s</text>", top - 6, esc(unit)));
        int legendY = top + 10;
        for (Series s : series) {
            StringBuilder pts = new StringBuilder();
            for (int i = 0; i < s.x().length; i++) {
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", left + s.x()[i] * sx, hgt - bottom - s.y()[i] * sy));
            }
            svg.append("<polyline fill=\"none\" stroke-width=\"1.5\" stroke=\"").append(s.colour()).append("\" points=\"").append(pts).append("\"/>");
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"3\" fill=\"%s\"/>", w - right + 10, legendY - 3, s.colour()));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\">%s</text>", w - right + 26, legendY, esc(s.name())));
            legendY += 18;
        }
        return svg.append("</svg>").toString();
    }

    private static double niceCeiling(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) if (m * p >= v) return m * p;
        return 10 * p;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
