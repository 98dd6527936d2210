package com.commdesk.ledger;

/**
 * Names of ledger accounts. System accounts are seeded by the changelog (002-ledger-core.sql);
 * community and member accounts are created on first use. Codes are immutable once used.
 */
public final class AccountCodes {
    public static final String CASHFREE_CLEARING = "cashfree_clearing";
    public static final String GATEWAY_FEE_EXPENSE = "gateway_fee_expense";
    public static final String GATEWAY_FEE_RECOVERY = "gateway_fee_recovery";
    public static final String PLATFORM_FEE_INCOME = "platform_fee_income";
    /** Gateway charges CommDesk pays itself when a rule makes the platform bear the gateway fee (promotions). */
    public static final String GATEWAY_FEE_ABSORBED = "gateway_fee_absorbed";
    /**
     * The convenience fee a customer paid on top of the ticket price, until it pays the fees it is for:
     * credited when the payment arrives, debited by the customer-borne gateway and platform charges
     * (so it is back to 0 after every payment).
     */
    public static final String CONVENIENCE_FEE_CLEARING = "convenience_fee_clearing";
    public static final String TCS_PAYABLE = "tcs_payable";
    public static final String TDS_PAYABLE = "tds_payable";
    public static final String PAYOUTS_IN_FLIGHT = "payouts_in_flight";
    public static final String CASHFREE_PAYOUT_BALANCE = "cashfree_payout_balance";
    /** What we owe customers whose refund Cashfree accepted and has not paid yet (changelog 018). */
    public static final String REFUNDS_IN_FLIGHT = "refunds_in_flight";
    /** Differences finance accepts on reconciliation (changelog 011). */
    public static final String RECON_DIFFERENCES = "recon_differences";
    /** Money Cashfree settled for a payment we never booked, until identified (changelog 011). */
    public static final String UNIDENTIFIED_RECEIPTS = "unidentified_receipts";

    /** The three GST heads; every GST account exists once per head. */
    public enum GstHead { CGST, SGST, IGST }

    /**
     * Where a member's money is: credits land PENDING, become AVAILABLE after the hold, LOCKED during a
     * payout. RECEIVABLE is the other way round: what the member owes back (an asset of ours).
     */
    public enum WalletBucket { PENDING, AVAILABLE, LOCKED, RECEIVABLE }

    private AccountCodes() {}

    public static String gstOutputPayable(GstHead head) { return "gst_output_payable:" + head; }

    public static String gstInputCredit(GstHead head) { return "gst_input_credit:" + head; }

    public static String platformGstPayable(GstHead head) { return "platform_gst_payable:" + head; }

    public static String communityPool(String communityId) { return "community_pool:" + communityId; }

    /** The wallet bucket of a member account purpose (MEMBER_PENDING, ...), or null for any other account. */
    public static WalletBucket bucketOf(String purpose) {
        return switch (purpose) {
            case "MEMBER_PENDING" -> WalletBucket.PENDING;
            case "MEMBER_AVAILABLE" -> WalletBucket.AVAILABLE;
            case "MEMBER_LOCKED" -> WalletBucket.LOCKED;
            case "MEMBER_RECEIVABLE" -> WalletBucket.RECEIVABLE;
            default -> null;
        };
    }

    public static String member(String communityId, String role, String userId, WalletBucket bucket) {
        return "member:" + communityId + ":" + role + ":" + userId + ":" + bucket.name().toLowerCase(java.util.Locale.ROOT);
    }
}
