package com.commdesk.ledger;

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
 * The postings of one payment, following the money flow (docs/ledger.md):
 * <pre>
 *  1 customer pays     DR cashfree_clearing A          CR gst_output_payable:* gst, CR community_pool (A - gst)
 *  2 Cashfree keeps    DR gateway_fee_expense fee      DR gst_input_credit:* feeGst, CR cashfree_clearing (fee + feeGst)
 *  3 pool pays gateway DR community_pool (fee+feeGst)  CR gateway_fee_recovery
 *  4 platform fee      DR community_pool (P [+ g])     CR platform_fee_income (P - g | P), CR platform_gst_payable:* g
 *  5 withholding       DR community_pool tcs + tds     CR tcs_payable, CR tds_payable
 *  6 members           DR community_pool net           CR member:*:pending per share
 * </pre>
 * The pool is credited A - gst and debited the same, so it is empty after every payment; the
 * journal balances because net = A - gst - fee - feeGst - P - (g if ON_TOP) - tcs - tds.
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
        boolean onTop = b.platformFeeGst() == PlatformFeeGst.ON_TOP;
        long platformFeeCharged = onTop ? Math.addExact(b.platformFeePaise(), b.platformFeeGstPaise()) : b.platformFeePaise();
        long platformIncome = onTop ? b.platformFeePaise() : Math.subtractExact(b.platformFeePaise(), b.platformFeeGstPaise());
        long gatewayTotal = Math.addExact(b.gatewayFeePaise(), b.gatewayFeeGstPaise());
        String pool = AccountCodes.communityPool(communityId);

        List<JournalLine> out = new ArrayList<>();
        // 1. the customer's payment, GST out of it, the rest into the community pool
        add(out, sys(AccountCodes.CASHFREE_CLEARING, "ASSET", "CASHFREE_CLEARING", b.amountPaise()));
        heads(out, b.gstHeads(), AccountCodes::gstOutputPayable, "LIABILITY", "GST_OUTPUT_PAYABLE", -1);
        add(out, poolLine(pool, communityId, -Math.subtractExact(b.amountPaise(), b.gstPaise())));
        // 2. Cashfree keeps its fee and the GST on it (input credit) from what it settles
        add(out, sys(AccountCodes.GATEWAY_FEE_EXPENSE, "EXPENSE", "GATEWAY_FEE_EXPENSE", b.gatewayFeePaise()));
        heads(out, b.gatewayGstHeads(), AccountCodes::gstInputCredit, "ASSET", "GST_INPUT_CREDIT", +1);
        add(out, sys(AccountCodes.CASHFREE_CLEARING, "ASSET", "CASHFREE_CLEARING", -gatewayTotal));
        // 3. the community bears the gateway cost
        add(out, poolLine(pool, communityId, gatewayTotal));
        add(out, sys(AccountCodes.GATEWAY_FEE_RECOVERY, "INCOME", "GATEWAY_FEE_RECOVERY", -gatewayTotal));
        // 4. CommDesk's platform fee and its GST
        add(out, poolLine(pool, communityId, platformFeeCharged));
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
