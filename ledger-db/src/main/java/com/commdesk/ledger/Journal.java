package com.commdesk.ledger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * One journal before it is written, as a pure builder made it: its key, community, description, the
 * journal it reverses (if any), its lines, and the canonical content its idempotency hash is made of
 * (the same key with other content is a conflict). The Java half of the balance rule: a journal has at
 * least two lines and they sum to exactly zero, or it cannot be constructed; the database checks the
 * same again (changelog 017).
 */
public record Journal(JournalKey key, String communityId, String description, Long reversesJournalId, List<JournalLine> lines,
                      String contentSha256) {
    public Journal {
        if (key == null) throw new IllegalArgumentException("key is required");
        if ((key.kind() == JournalKind.REVERSAL) != (reversesJournalId != null)) {
            throw new IllegalArgumentException("a REVERSAL, and only a reversal, names the journal it reverses");
        }
        lines = List.copyOf(lines);
        if (lines.size() < 2) throw new IllegalStateException("journal " + key + " has " + lines.size() + " line(s); at least two are needed");
        long sum = 0;
        for (JournalLine l : lines) sum = Math.addExact(sum, l.amountPaise());
        if (sum != 0) throw new IllegalStateException("journal " + key + " does not balance by " + sum + " paise");
        if (contentSha256 == null || !contentSha256.matches("[0-9a-f]{64}")) throw new IllegalArgumentException("content hash is required");
        description = description == null ? "" : description;
    }

    /** A journal whose content hash is made from {@code content}, a canonical description of what was asked. */
    static Journal of(JournalKey key, String communityId, String description, Long reversesJournalId, List<JournalLine> lines,
                      String content) {
        return new Journal(key, communityId, description, reversesJournalId, lines, sha256(key.kind() + "|" + content));
    }

    public JournalKind kind() {
        return key.kind();
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
