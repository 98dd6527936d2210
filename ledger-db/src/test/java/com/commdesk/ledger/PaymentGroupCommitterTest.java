package com.commdesk.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.commdesk.fees.FeeBreakdown;
import com.commdesk.fees.FeeEngine;
import com.commdesk.fees.FeeSchedules;
import com.commdesk.fees.PaymentFacts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Group commit as the worker uses it: many concurrent callers, each payment posted several times at
 * once, one conflicting claim per key. Every caller gets its own outcome, each key has one journal,
 * and the books are whole (LedgerFixture checks invariants and the trial balance after the test).
 */
class PaymentGroupCommitterTest extends LedgerFixture {
    @Test
    void concurrentCallersShareCommitsAndEachPaymentPostsOnce() throws Exception {
        int paymentCount = 120;
        int copies = 3;
        Map<String, Long> journalByKey = new ConcurrentHashMap<>();
        List<Future<String>> outcomes = new ArrayList<>();
        try (PaymentGroupCommitter committer = new PaymentGroupCommitter(payments, 50, Duration.ofMillis(20), 2, 1_000);
             ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < paymentCount; i++) {
                long amountPaise = 10_000L + 997L * i;
                FeeBreakdown b = FeeEngine.calculate(new PaymentFacts(amountPaise, "EVENT", "CARD", "KA", "KA"), FeeSchedules.seedExamples());
                String key = "gc-" + i;
                for (int c = 0; c < copies; c++) {
                    outcomes.add(callers.submit(() -> {
                        try {
                            PostedPayment posted = committer.post(posting(key, b));
                            Long first = journalByKey.putIfAbsent(key, posted.journalId());
                            assertThat(first == null ? posted.journalId() : first).isEqualTo(posted.journalId());
                            return posted.newlyPosted() ? "new" : "repeat";
                        } catch (LedgerException e) {
                            return e.code().name();
                        }
                    }));
                }
                // The same key with other content (another amount) is refused for this caller only.
                FeeBreakdown other = FeeEngine.calculate(new PaymentFacts(amountPaise + 1, "EVENT", "CARD", "KA", "KA"),
                        FeeSchedules.seedExamples());
                outcomes.add(callers.submit(() -> {
                    try {
                        committer.post(posting(key, other));
                        return "other-content-posted";
                    } catch (LedgerException e) {
                        return e.code().name();
                    }
                }));
            }
            Map<String, Integer> counts = new java.util.TreeMap<>();
            for (Future<String> f : outcomes) counts.merge(f.get(), 1, Integer::sum);
            // Per key, whichever of its 4 claims commits first wins: if one of the 3 identical ones, it is
            // "new", its 2 twins "repeat" and the other content a conflict; if the other content, the 3 conflict.
            int otherWon = counts.getOrDefault("other-content-posted", 0);
            assertThat(counts.getOrDefault("new", 0)).isEqualTo(paymentCount - otherWon);
            assertThat(counts.getOrDefault("repeat", 0)).isEqualTo(2 * (paymentCount - otherWon));
            assertThat(counts.getOrDefault("IDEMPOTENCY_CONFLICT", 0)).isEqualTo(paymentCount - otherWon + 3 * otherWon);
            assertThat(counts.keySet()).isSubsetOf("new", "repeat", "IDEMPOTENCY_CONFLICT", "other-content-posted");
        }
        assertThat(num("select count(*) from journal where kind = 'PAYMENT'")).isEqualTo(paymentCount);
        assertThat(num("select count(distinct idempotency_key) from revenue_transaction")).isEqualTo(paymentCount);
        assertThat(num("select count(*) from revenue_distribution")).isEqualTo(
                num("select count(*) from posting p join ledger_account a using (account_id) where a.purpose = 'MEMBER_PENDING'"));
    }

    @Test
    void aClosedCommitterRefusesNewPostings() throws Exception {
        PaymentGroupCommitter committer = new PaymentGroupCommitter(payments, 10, Duration.ZERO, 1, 10);
        committer.close();
        FeeBreakdown b = FeeEngine.calculate(new PaymentFacts(100_000L, "EVENT", "CARD", "KA", "KA"), FeeSchedules.seedExamples());
        assertThatThrownBy(() -> committer.post(posting("closed", b))).isInstanceOf(IllegalStateException.class);
        assertThat(num("select count(*) from journal where idempotency_key like '%:closed'")).isZero();
    }
}
