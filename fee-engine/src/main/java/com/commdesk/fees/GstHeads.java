package com.commdesk.fees;

/** A GST amount split into its heads: CGST + SGST (intra-state) or IGST (inter-state). */
public record GstHeads(long cgstPaise, long sgstPaise, long igstPaise) {

    public static final GstHeads ZERO = new GstHeads(0, 0, 0);

    /** cgst + sgst + igst. */
    public long total() {
        return cgstPaise + sgstPaise + igstPaise;
    }

    /**
     * Splits {@code taxPaise}: intra-state (both states given and the same GST state, see
     * {@link GstStates#intraState}) gives SGST = floor(tax / 2) and CGST = tax − SGST; otherwise all of
     * it is IGST. An unknown state is refused on "supplierState" / "placeOfSupply".
     */
    public static GstHeads of(long taxPaise, String supplierState, String placeOfSupply) {
        if (taxPaise < 0) throw new FeeValidationException("taxPaise", "must be >= 0, was " + taxPaise);
        if (intraState(supplierState, placeOfSupply)) {
            long sgst = taxPaise / 2;
            return new GstHeads(taxPaise - sgst, sgst, 0);
        }
        return taxPaise == 0 ? ZERO : new GstHeads(0, 0, taxPaise);
    }

    /** Both given (non-blank) and the same GST state code ({@link GstStates#intraState}); unknown states are refused. */
    public static boolean intraState(String supplierState, String placeOfSupply) {
        return GstStates.intraState(supplierState, placeOfSupply);
    }
}
