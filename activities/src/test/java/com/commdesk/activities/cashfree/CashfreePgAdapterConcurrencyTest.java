package com.commdesk.activities.cashfree;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.cashfree.sim.CashfreeSimulator;
import com.commdesk.cashfree.sim.Fault;
import com.commdesk.cashfree.sim.PaymentMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One adapter used from many activity threads at once. */
class CashfreePgAdapterConcurrencyTest {

    static final int THREADS = 12;
    static final int CALLS_PER_THREAD = 30;
    static CashfreeSimulator sim;
    static CashfreePgAdapter adapter;

    @BeforeAll
    static void start() {
        sim = CashfreeTestSupport.startSimulator();
        adapter = new CashfreePgAdapter(CashfreeTestSupport.configFor(sim, Duration.ofSeconds(10)));
        PaymentMethod[] methods = PaymentMethod.values();
        for (int i = 0; i < THREADS; i++) {
            // distinct amounts per order so a mixed-up response would be noticed
            sim.createPaidOrder("conc_" + i, 10_001L + i * 101L, "INR", Map.of("n", Integer.toString(i)), methods[i % methods.length]);
        }
    }

    @AfterAll
    static void stop() {
        adapter.close();
        sim.close();
    }

    @Test
    void concurrentMixedCallsAllGetTheirOwnAnswers() throws Exception {
        // Some requests are slow so that many calls are in flight together.
        sim.faults().add(Fault.slow(Duration.ofMillis(150)).onPath("/pg/orders/conc_0").times(20));
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    go.await();
                    int ok = 0;
                    for (int i = 0; i < CALLS_PER_THREAD; i++) {
                        int n = (thread + i) % THREADS;
                        String id = "conc_" + n;
                        long amount = 10_001L + n * 101L;
                        switch (i % 3) {
                            case 0 -> {
                                CashfreeOrder o = adapter.fetchOrder(id);
                                assertThat(o.orderId()).isEqualTo(id);
                                assertThat(o.amountPaise()).isEqualTo(amount);
                                assertThat(o.tags()).containsEntry("n", Integer.toString(n));
                            }
                            case 1 -> {
                                CashfreePayment p = adapter.fetchPayments(id).get(0);
                                assertThat(p.orderId()).isEqualTo(id);
                                assertThat(p.amountPaise()).isEqualTo(amount);
                            }
                            default -> {
                                String newId = "new_" + thread + "_" + i;
                                long newAmount = 100L + thread * 1_000L + i;
                                CashfreeOrder c = adapter.createOrder(new NewOrder(newId, newAmount, "INR", "cust_" + thread,
                                        "9876543210", Map.of("t", Integer.toString(thread))));
                                assertThat(c.orderId()).isEqualTo(newId);
                                assertThat(c.amountPaise()).isEqualTo(newAmount);
                            }
                        }
                        ok++;
                    }
                    return ok;
                }));
            }
            go.countDown();
            int total = 0;
            for (Future<Integer> f : futures) {
                total += f.get(60, TimeUnit.SECONDS);
            }
            assertThat(total).isEqualTo(THREADS * CALLS_PER_THREAD);
            assertThat(sim.orderCount()).isEqualTo(THREADS + THREADS * CALLS_PER_THREAD / 3);
        } finally {
            pool.shutdownNow();
        }
    }
}
