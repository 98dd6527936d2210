package com.commdesk.fees;

/**
 * The facts of one payment the fee calculation needs.
 *
 * @param amountPaise      what the customer paid, 1..10^12 paise
 * @param sourceType       revenue source, key into {@link FeeSchedule#platformFeeBySource()}
 * @param paymentMethod    key into {@link FeeSchedule#gatewayFeeByMethod()}
 * @param supplierState    the supplier's GST state: a code ("29"), a name ("Karnataka"), an abbreviation
 *                         ("KA") or a GSTIN, resolved through {@link GstStates}; optional
 * @param placeOfSupply    the place of supply, the same forms, optional; the same state as the supplier's
 *                         means intra-state
 * @param ticketPricePaise the price of what was sold, without the convenience fee. Required when the
 *                         schedule makes the customer bear a fee (then amount = ticket price + convenience
 *                         fee, and the calculation refuses an amount that is not); otherwise null or equal
 *                         to the amount
 */
public record PaymentFacts(long amountPaise, String sourceType, String paymentMethod,
                           String supplierState, String placeOfSupply, Long ticketPricePaise) {

    /** A payment whose amount is the ticket price (no convenience fee). */
    public PaymentFacts(long amountPaise, String sourceType, String paymentMethod, String supplierState, String placeOfSupply) {
        this(amountPaise, sourceType, paymentMethod, supplierState, placeOfSupply, null);
    }

    /** The ticket price: {@code ticketPricePaise}, or the amount when it is null. */
    public long ticketPriceOrAmount() {
        return ticketPricePaise == null ? amountPaise : ticketPricePaise;
    }
}
