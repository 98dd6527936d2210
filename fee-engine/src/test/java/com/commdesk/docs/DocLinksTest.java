package com.commdesk.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10: docs must match the code, and a reader must be able to follow them. Every relative link and
 * every #anchor in README.md and docs/*.md must resolve (checked by {@link DocLinks}).
 */
class DocLinksTest {
    /** The repository: the directory above this module that has README.md and docs/. */
    static Path repository() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("docs")))) dir = dir.getParent();
        if (dir == null) throw new IllegalStateException("no README.md with docs/ above " + Path.of("").toAbsolutePath());
        return dir;
    }

    @Test
    void everyRelativeLinkAndAnchorInTheDocsResolves() throws IOException {
        Path root = repository();
        List<Path> files = new ArrayList<>();
        files.add(root.resolve("README.md"));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        assertThat(files).hasSizeGreaterThan(5);
        assertThat(new DocLinks().check(files)).as("dead links").isEmpty();
    }

    /** The checker itself: it must find a missing file, a missing anchor, and accept what exists. */
    @Test
    void theCheckerFindsDeadFilesAndDeadAnchors(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("docs"));
        Files.writeString(dir.resolve("docs/b.md"), """
                # B: the "other" doc
                ## Fees & GST (18 %)
                ## Fees & GST (18 %)
                <a id="custom"></a>
                ```
                # not a heading
                ```
                """);
        Files.writeString(dir.resolve("docs/a.md"), """
                # A
                ## Local part
                Good: [b](b.md), [heading](b.md#b-the-other-doc), [gst](b.md#fees--gst-18-), [again](b.md#fees--gst-18--1),
                [custom](b.md#custom), [local](#local-part), [site](https://example.com/x.md#nothing), [up](../docs/b.md).
                `[in code](missing.md)`
                ```
                [in a block](missing.md)
                ```
                Bad: [gone](gone.md) and [no anchor](b.md#not-a-heading) and [local](#nowhere) and [fenced](b.md#not-a-heading-1).
                [ref]: ./also-gone.md
                """);
        var dead = new DocLinks().check(List.of(dir.resolve("docs/a.md")));
        assertThat(dead).extracting(DocLinks.Dead::target)
                .containsExactly("gone.md", "b.md#not-a-heading", "#nowhere", "b.md#not-a-heading-1", "./also-gone.md");
    }
}
