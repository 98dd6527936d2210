package com.commdesk.fees;

/**
 * The facts of one payment the fee calculation needs.
 *
 * @param amountPaise   what the customer paid, 1..10^12 paise
 * @param sourceType    revenue source, key into {@link FeeSchedule#platformFeeBySource()}
 * @param paymentMethod key into {@link FeeSchedule#gatewayFeeByMethod()}
 * @param supplierState the supplier's state (GSTIN state code or name), optional
 * @param placeOfSupply the place of supply, optional; equal to supplierState means intra-state
 */
public record PaymentFacts(long amountPaise, String sourceType, String paymentMethod,
                           String supplierState, String placeOfSupply) {}
