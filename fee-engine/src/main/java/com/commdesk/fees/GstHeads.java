package com.commdesk.fees;

/** A GST amount split into its heads: CGST + SGST (intra-state) or IGST (inter-state). */
public record GstHeads(long cgstPaise, long sgstPaise, long igstPaise) {

    public static final GstHeads ZERO = new GstHeads(0, 0, 0);

    /** cgst + sgst + igst. */
    public long total() {
        return cgstPaise + sgstPaise + igstPaise;
    }

    /**
     * Splits {@code taxPaise}: intra-state (both states given and equal, case-insensitive, trimmed)
     * gives SGST = floor(tax / 2) and CGST = tax − SGST; otherwise all of it is IGST.
     */
    public static GstHeads of(long taxPaise, String supplierState, String placeOfSupply) {
        if (taxPaise < 0) throw new FeeValidationException("taxPaise", "must be >= 0, was " + taxPaise);
        if (intraState(supplierState, placeOfSupply)) {
            long sgst = taxPaise / 2;
            return new GstHeads(taxPaise - sgst, sgst, 0);
        }
        return taxPaise == 0 ? ZERO : new GstHeads(0, 0, taxPaise);
    }

    /** Both given (non-blank) and equal ignoring case and surrounding blanks. */
    public static boolean intraState(String supplierState, String placeOfSupply) {
        if (Checks.blank(supplierState) || Checks.blank(placeOfSupply)) return false;
        return supplierState.strip().equalsIgnoreCase(placeOfSupply.strip());
    }
}
