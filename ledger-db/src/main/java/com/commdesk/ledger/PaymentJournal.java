package com.commdesk.ledger;

import com.commdesk.fees.FeeBearer;
import com.commdesk.fees.FeeBreakdown;
import com.commdesk.fees.GstHeads;
import com.commdesk.fees.MemberAllocation;
import com.commdesk.fees.PlatformFeeGst;
import com.commdesk.fees.RoleAllocation;
import com.commdesk.ledger.AccountCodes.GstHead;
import com.commdesk.ledger.AccountCodes.WalletBucket;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The postings of one payment, following the money flow (docs/ledger.md, docs/fees.md "Who bears each
 * fee"). A = what the customer paid = T (ticket price) + C (convenience fee); the debit side of lines 3
 * and 4 names who bore each fee:
 * <pre>
 *  1 customer pays     DR cashfree_clearing A          CR gst_output_payable:* gst, CR community_pool (T - gst),
 *                                                       CR convenience_fee_clearing C (only when C > 0)
 *  2 Cashfree keeps    DR gateway_fee_expense fee      DR gst_input_credit:* feeGst, CR cashfree_clearing (fee + feeGst)
 *  3 gateway bearer    DR community_pool (COMMUNITY) | gateway_fee_absorbed (PLATFORM) | convenience_fee_clearing
 *                      (CUSTOMER), fee + feeGst        CR gateway_fee_recovery
 *  4 platform fee      DR community_pool (COMMUNITY) | convenience_fee_clearing (CUSTOMER), P [+ g]
 *                                                       CR platform_fee_income (P - g | P), CR platform_gst_payable:* g
 *                      (PLATFORM: the fee is waived, nothing moves and nothing is posted)
 *  5 withholding       DR community_pool tcs + tds     CR tcs_payable, CR tds_payable
 *  6 members           DR community_pool net           CR member:*:pending per share
 * </pre>
 * The pool is credited T - gst and debited the same, and the convenience clearing account C and the
 * same, so both are empty after every payment; the journal balances because
 * T = gst + tcs + tds + net + the community-borne charges and C = the customer-borne charges.
 */
public final class PaymentJournal {
    private PaymentJournal() {}

    /** The payment's journal: keyed {@code payment:<community>:<payment id>}, hashed over everything that matters for money. */
    static Journal of(PaymentPosting p) {
        return new Journal(JournalKey.payment(p.communityId(), p.idempotencyKey()), p.communityId(),
                "payment " + p.sourceType() + " " + p.sourceId() + " order " + p.cashfreeOrderId(), null,
                lines(p.communityId(), p.breakdown(), p.shares()), p.contentSha256());
    }

    public static List<JournalLine> lines(String communityId, FeeBreakdown b, List<RoleAllocation> shares) {
        long sharesTotal = 0;
        for (RoleAllocation role : shares) {
            long membersTotal = 0;
            for (MemberAllocation m : role.members()) membersTotal = Math.addExact(membersTotal, m.amountPaise());
            if (membersTotal != role.amountPaise()) {
                throw new IllegalArgumentException("role " + role.role() + ": members sum to " + membersTotal
                        + " paise but the role has " + role.amountPaise());
            }
            sharesTotal = Math.addExact(sharesTotal, role.amountPaise());
        }
        if (sharesTotal != b.netPaise()) {
            throw new IllegalArgumentException("shares sum to " + sharesTotal + " paise but net is " + b.netPaise());
        }
        if (Math.addExact(b.ticketPricePaise(), b.convenienceFeePaise()) != b.amountPaise()) {
            throw new IllegalArgumentException("ticket price " + b.ticketPricePaise() + " + convenience fee " + b.convenienceFeePaise()
                    + " is not the amount " + b.amountPaise());
        }
        boolean onTop = b.platformFeeGst() == PlatformFeeGst.ON_TOP;
        long platformIncome = onTop ? b.platformFeePaise() : Math.subtractExact(b.platformFeePaise(), b.platformFeeGstPaise());
        String pool = AccountCodes.communityPool(communityId);

        List<JournalLine> out = new ArrayList<>();
        // 1. the customer's payment: GST out of the ticket price, the rest into the community pool,
        //    the convenience fee (customer-borne charges) into its clearing account
        add(out, sys(AccountCodes.CASHFREE_CLEARING, "ASSET", "CASHFREE_CLEARING", b.amountPaise()));
        heads(out, b.gstHeads(), AccountCodes::gstOutputPayable, "LIABILITY", "GST_OUTPUT_PAYABLE", -1);
        add(out, poolLine(pool, communityId, -Math.subtractExact(b.ticketPricePaise(), b.gstPaise())));
        add(out, convenience(-b.convenienceFeePaise()));
        // 2. Cashfree keeps its fee and the GST on it (input credit) from what it settles
        add(out, sys(AccountCodes.GATEWAY_FEE_EXPENSE, "EXPENSE", "GATEWAY_FEE_EXPENSE", b.gatewayFeePaise()));
        heads(out, b.gatewayGstHeads(), AccountCodes::gstInputCredit, "ASSET", "GST_INPUT_CREDIT", +1);
        add(out, sys(AccountCodes.CASHFREE_CLEARING, "ASSET", "CASHFREE_CLEARING", -b.gatewayChargesPaise()));
        // 3. whoever bears the gateway cost pays it back
        add(out, bearer(b.gatewayFeeBearer(), pool, communityId, b.gatewayChargesPaise()));
        add(out, sys(AccountCodes.GATEWAY_FEE_RECOVERY, "INCOME", "GATEWAY_FEE_RECOVERY", -b.gatewayChargesPaise()));
        // 4. CommDesk's platform fee and its GST, paid by its bearer (a waived fee is all zeros)
        add(out, bearer(b.platformFeeBearer(), pool, communityId, b.platformChargesPaise()));
        add(out, sys(AccountCodes.PLATFORM_FEE_INCOME, "INCOME", "PLATFORM_FEE_INCOME", -platformIncome));
        heads(out, b.platformGstHeads(), AccountCodes::platformGstPayable, "LIABILITY", "PLATFORM_GST_PAYABLE", -1);
        // 5. statutory withholding
        add(out, poolLine(pool, communityId, Math.addExact(b.tcsPaise(), b.tdsPaise())));
        add(out, sys(AccountCodes.TCS_PAYABLE, "LIABILITY", "TCS_PAYABLE", -b.tcsPaise()));
        add(out, sys(AccountCodes.TDS_PAYABLE, "LIABILITY", "TDS_PAYABLE", -b.tdsPaise()));
        // 6. the net pool to the members' pending wallets
        add(out, poolLine(pool, communityId, b.netPaise()));
        for (RoleAllocation role : shares) {
            for (MemberAllocation m : role.members()) {
                if (m.amountPaise() == 0) continue;
                out.add(memberLine(communityId, role.role(), m.userId(), WalletBucket.PENDING, -m.amountPaise()));
            }
        }
        long sum = 0;
        for (JournalLine l : out) sum = Math.addExact(sum, l.amountPaise());
        if (sum != 0) throw new IllegalStateException("payment journal does not balance by " + sum + " paise: " + b);
        return List.copyOf(out);
    }

    /** The debit of a fee's bearer: the community's pool, CommDesk's own expense, or the customer's convenience fee. */
    private static JournalLine bearer(FeeBearer bearer, String pool, String communityId, long amountPaise) {
        return switch (bearer) {
            case COMMUNITY -> poolLine(pool, communityId, amountPaise);
            case PLATFORM -> sys(AccountCodes.GATEWAY_FEE_ABSORBED, "EXPENSE", "GATEWAY_FEE_ABSORBED", amountPaise);
            case CUSTOMER -> convenience(amountPaise);
        };
    }

    private static JournalLine convenience(long amountPaise) {
        return sys(AccountCodes.CONVENIENCE_FEE_CLEARING, "LIABILITY", "CONVENIENCE_FEE_CLEARING", amountPaise);
    }

    public static JournalLine memberLine(String communityId, String role, String userId, WalletBucket bucket, long amountPaise) {
        return new JournalLine(AccountCodes.member(communityId, role, userId, bucket),
                bucket == WalletBucket.RECEIVABLE ? "ASSET" : "LIABILITY",
                "MEMBER_" + bucket.name(), communityId, role, userId, bucket, amountPaise);
    }

    private static JournalLine sys(String code, String kind, String purpose, long amountPaise) {
        return amountPaise == 0 ? null : new JournalLine(code, kind, purpose, null, null, null, null, amountPaise);
    }

    private static JournalLine poolLine(String pool, String communityId, long amountPaise) {
        return amountPaise == 0 ? null
                : new JournalLine(pool, "LIABILITY", "COMMUNITY_POOL", communityId, null, null, null, amountPaise);
    }

    private static void heads(List<JournalLine> out, GstHeads h, Function<GstHead, String> code, String kind,
                              String purpose, int sign) {
        add(out, sys(code.apply(GstHead.CGST), kind, purpose, sign * h.cgstPaise()));
        add(out, sys(code.apply(GstHead.SGST), kind, purpose, sign * h.sgstPaise()));
        add(out, sys(code.apply(GstHead.IGST), kind, purpose, sign * h.igstPaise()));
    }

    private static void add(List<JournalLine> out, JournalLine line) {
        if (line != null) out.add(line);
    }
}
