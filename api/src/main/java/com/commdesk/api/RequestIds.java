package com.commdesk.api;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * New request ids: version-4 UUIDs from the request thread's own {@link ThreadLocalRandom}.
 * A request id correlates a request's log lines, audit entry and workflow logs; a caller may choose its own
 * (X-Request-Id), so it is neither a secret nor a key anything is authorised by, and it needs uniqueness,
 * not unpredictability. {@link UUID#randomUUID()} draws from one SecureRandom shared by the whole JVM,
 * behind a lock: at 100 requests/s on 2 cores requests queued on it (issue 13: 420 waits of 10 ms
 * or more in one 60-s run recorded by JFR, up to 3 s during the warm-up). ThreadLocalRandom is predictable (64 bits of state,
 * recoverable from one id): never use these for a key, a token or anything else that must not be guessed.
 */
public final class RequestIds {
    private RequestIds() {}

    public static String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;                       // version 4
        long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L; // IETF variant
        return new UUID(high, low).toString();
    }
}
