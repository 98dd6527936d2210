/**
 * A local stand-in for the Cashfree Payment Gateway API (version 2023-08-01, the version the
 * {@code cashfree_pg} 4.0.7 SDK sends), built on the JDK's {@code com.sun.net.httpserver} and Jackson.
 *
 * <p>Entry point: {@link com.commdesk.cashfree.sim.CashfreeSimulator}. It answers
 * {@code POST /pg/orders}, {@code GET /pg/orders/{order_id}} and {@code GET /pg/orders/{order_id}/payments}
 * with Cashfree's JSON shapes and error shapes, signs {@code PAYMENT_SUCCESS_WEBHOOK} events the way
 * Cashfree does ({@link com.commdesk.cashfree.sim.CashfreeSignatures}), and offers control endpoints
 * under {@code /__sim/} plus {@link com.commdesk.cashfree.sim.Faults fault injection} for tests.
 *
 * <p>Money inside the simulator is always {@code long} paise; JSON amounts are rupees written from
 * paise with {@code BigDecimal.valueOf(paise, 2)}. No floating point touches an amount.
 */
package com.commdesk.cashfree.sim;
