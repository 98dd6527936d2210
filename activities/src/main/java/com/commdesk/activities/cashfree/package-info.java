/**
 * Every call to Cashfree goes through {@link com.commdesk.activities.cashfree.CashfreeGateway}; the
 * production implementation is {@link com.commdesk.activities.cashfree.CashfreePgAdapter}: our own JSON over HTTP
 * for the calls that send an amount (create order, create refund), the official {@code cashfree_pg} 4.0.7 SDK for
 * the reads. Amounts are {@code long} paise everywhere in this package; conversion to and from Cashfree's rupee
 * decimals is exact, never through a {@code double}, or refused ({@link com.commdesk.activities.cashfree.CashfreeAmounts}).
 *
 * <p>Failures are typed: {@link com.commdesk.activities.cashfree.CashfreeUnavailableException} (retryable),
 * {@link com.commdesk.activities.cashfree.CashfreeNotFoundException} and
 * {@link com.commdesk.activities.cashfree.CashfreeRejectedException} (not retryable), all subclasses of
 * {@link com.commdesk.activities.cashfree.CashfreeException}.
 */
package com.commdesk.activities.cashfree;
