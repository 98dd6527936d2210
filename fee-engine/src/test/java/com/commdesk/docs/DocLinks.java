package com.commdesk.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds dead links in Markdown: a relative link whose file does not exist, or a {@code #anchor} that no
 * heading (GitHub's slugs) nor {@code <a id|name>} of the target Markdown file defines. External links
 * (a scheme such as https:, mailto:) are not followed; links inside code (fenced blocks, backtick spans)
 * are not links.
 */
final class DocLinks {
    /** [text](target) and ![alt](target), with an optional "title"; the target has no spaces. */
    private static final Pattern INLINE = Pattern.compile("!?\\[(?:[^\\]\\\\]|\\\\.)*\\]\\(\\s*<?([^)\\s>]*)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    /** [label]: target */
    private static final Pattern REFERENCE = Pattern.compile("^\\s{0,3}\\[[^\\]]+\\]:\\s*<?(\\S+?)>?(?:\\s+.*)?$");
    private static final Pattern HEADING = Pattern.compile("^\\s{0,3}#{1,6}\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern HTML_ANCHOR = Pattern.compile("<a\\s+(?:id|name)=\"([^\"]+)\"");
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");

    record Dead(Path file, int line, String target, String why) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + target + " (" + why + ")";
        }
    }

    private final Map<Path, Set<String>> anchors = new HashMap<>();

    /** Every dead link in {@code files}. */
    List<Dead> check(List<Path> files) {
        List<Dead> dead = new ArrayList<>();
        for (Path file : files) {
            List<String> lines = lines(file);
            boolean fenced = false;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.strip().startsWith("```") || line.strip().startsWith("~~~")) {
                    fenced = !fenced;
                    continue;
                }
                if (fenced) continue;
                String text = line.replaceAll("`[^`]*`", "``");
                List<String> targets = new ArrayList<>();
                Matcher m = INLINE.matcher(text);
                while (m.find()) targets.add(m.group(1));
                Matcher r = REFERENCE.matcher(text);
                if (r.matches()) targets.add(r.group(1));
                for (String target : targets) {
                    String why = why(file, target);
                    if (why != null) dead.add(new Dead(file, i + 1, target, why));
                }
            }
        }
        return dead;
    }

    /** Null when the link resolves, else why it does not. */
    private String why(Path from, String target) {
        if (target.isEmpty() || SCHEME.matcher(target).find() || target.startsWith("//")) return null;
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        int query = path.indexOf('?');
        if (query >= 0) path = path.substring(0, query);
        Path to = path.isEmpty() ? from : from.toAbsolutePath().getParent().resolve(decode(path)).normalize();
        if (!Files.exists(to)) return "no such file " + to.getFileName();
        if (anchor == null || anchor.isEmpty() || !to.toString().endsWith(".md")) return null;
        return anchorsOf(to).contains(decode(anchor).toLowerCase(Locale.ROOT)) ? null : "no heading #" + anchor + " in " + to.getFileName();
    }

    private Set<String> anchorsOf(Path file) {
        return anchors.computeIfAbsent(file.toAbsolutePath().normalize(), f -> {
            Set<String> out = new HashSet<>();
            Map<String, Integer> seen = new HashMap<>();
            boolean fenced = false;
            for (String line : lines(f)) {
                if (line.strip().startsWith("```") || line.strip().startsWith("~~~")) {
                    fenced = !fenced;
                    continue;
                }
                if (fenced) continue;
                Matcher a = HTML_ANCHOR.matcher(line);
                while (a.find()) out.add(a.group(1).toLowerCase(Locale.ROOT));
                Matcher h = HEADING.matcher(line);
                if (!h.matches()) continue;
                String slug = slug(h.group(1));
                int n = seen.merge(slug, 1, Integer::sum) - 1;
                out.add(n == 0 ? slug : slug + "-" + n);
            }
            return out;
        });
    }

    /** GitHub's heading anchor: markup dropped, lower case, punctuation other than - and _ removed, spaces to -. */
    static String slug(String heading) {
        String text = heading.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1") // a link's text
                .replaceAll("<[^>]+>", "")
                .replace("`", "").replace("*", "");
        StringBuilder s = new StringBuilder();
        text.toLowerCase(Locale.ROOT).codePoints().forEach(c -> {
            if (Character.isLetterOrDigit(c) || c == '-' || c == '_') s.appendCodePoint(c);
            else if (c == ' ') s.append('-');
        });
        return s.toString();
    }

    private static String decode(String s) {
        return java.net.URLDecoder.decode(s.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
