package com.commdesk.ledger;

import static com.commdesk.ledger.jooq.Tables.LEDGER_ACCOUNT;
import static com.commdesk.ledger.jooq.Tables.POSTING;
import static com.commdesk.ledger.jooq.Tables.REVENUE_DISTRIBUTION;
import static com.commdesk.ledger.jooq.Tables.REVENUE_TRANSACTION;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/** Read side of the books: trial balance and posted payments. */
public final class LedgerQueries {
    private final DSLContext dsl;

    public LedgerQueries(DSLContext dsl) {
        this.dsl = dsl;
    }

    public record AccountTotal(String code, String kind, long debitsPaise, long creditsPaise, long balancePaise) {}

    public record TrialBalance(List<AccountTotal> accounts, long totalDebitsPaise, long totalCreditsPaise, boolean balanced) {}

    /** Totals per account over every posting. Debits equal credits iff the books balance. */
    public TrialBalance trialBalance() {
        var debit = DSL.sum(DSL.when(POSTING.AMOUNT_PAISE.gt(0L), POSTING.AMOUNT_PAISE).otherwise(0L));
        var credit = DSL.sum(DSL.when(POSTING.AMOUNT_PAISE.lt(0L), DSL.neg(POSTING.AMOUNT_PAISE)).otherwise(0L));
        List<AccountTotal> rows = dsl.select(LEDGER_ACCOUNT.CODE, LEDGER_ACCOUNT.KIND, debit, credit)
                .from(POSTING).join(LEDGER_ACCOUNT).on(LEDGER_ACCOUNT.ACCOUNT_ID.eq(POSTING.ACCOUNT_ID))
                .groupBy(LEDGER_ACCOUNT.CODE, LEDGER_ACCOUNT.KIND)
                .orderBy(LEDGER_ACCOUNT.CODE)
                .fetch(r -> {
                    long d = exact(r.value3());
                    long c = exact(r.value4());
                    return new AccountTotal(r.value1(), r.value2(), d, c, d - c);
                });
        long debits = 0;
        long credits = 0;
        for (AccountTotal a : rows) {
            debits = Math.addExact(debits, a.debitsPaise());
            credits = Math.addExact(credits, a.creditsPaise());
        }
        return new TrialBalance(rows, debits, credits, debits == credits);
    }

    public record Share(String role, int shareBps, String userId, long amountPaise) {}

    public record PostedPaymentView(UUID transactionId, long journalId, String communityId, String sourceType,
                                    String cashfreeOrderId, String paymentMethod, long grossAmountPaise, long gstPaise,
                                    long gatewayFeePaise, long gatewayFeeGstPaise, long platformFeePaise,
                                    long platformFeeGstPaise, long tcsPaise, long tdsPaise, long netPaise,
                                    String scheduleName, String ruleId, Integer ruleVersion, OffsetDateTime postedAt,
                                    List<Share> shares) {}

    /**
     * A posted payment as refunds see it: how much of it is refunded or reserved for a refund (refunds
     * Cashfree cancelled or failed do not count), and whether it was reversed. A read, for display and
     * early refusal; the ledger decides again under the payment's lock when it reserves.
     */
    public record Refundable(UUID transactionId, String cashfreeOrderId, long grossPaise, long refundedPaise, boolean reversed) {
        public long remainingPaise() { return reversed ? 0 : grossPaise - refundedPaise; }
    }

    public Optional<Refundable> refundable(String paymentIdempotencyKey) {
        return dsl.fetchOptional("""
                select rt.transaction_id, rt.cashfree_order_id, rt.gross_amount_paise,
                       coalesce((select sum(r.amount_paise) from refund r where r.transaction_id = rt.transaction_id
                                    and not exists (select 1 from refund_outcome o where o.refund_id = r.refund_id
                                                     and o.outcome in ('FAILED', 'CANCELLED'))), 0),
                       exists (select 1 from journal j where j.reverses_journal_id = rt.journal_id)
                  from revenue_transaction rt where rt.idempotency_key = ?
                """, paymentIdempotencyKey)
                .map(r -> new Refundable(r.get(0, UUID.class), r.get(1, String.class), r.get(2, Long.class), r.get(3, Long.class),
                        r.get(4, Boolean.class)));
    }

    public boolean refundExists(String refundId) {
        return dsl.fetchExists(com.commdesk.ledger.jooq.Tables.REFUND, com.commdesk.ledger.jooq.Tables.REFUND.REFUND_ID.eq(refundId));
    }

    public Optional<PostedPaymentView> postedPayment(String idempotencyKey) {
        var rt = REVENUE_TRANSACTION;
        return dsl.selectFrom(rt).where(rt.IDEMPOTENCY_KEY.eq(idempotencyKey)).fetchOptional().map(r -> {
            var d = REVENUE_DISTRIBUTION;
            List<Share> shares = dsl.select(d.ROLE_NAME, d.SHARE_BPS, d.USER_ID, d.AMOUNT_PAISE).from(d)
                    .where(d.TRANSACTION_ID.eq(r.getTransactionId()))
                    .orderBy(d.ROLE_NAME, d.USER_ID)
                    .fetch(x -> new Share(x.value1(), x.value2(), x.value3(), x.value4()));
            return new PostedPaymentView(r.getTransactionId(), r.getJournalId(), r.getCommunityId(), r.getSourceType(),
                    r.getCashfreeOrderId(), r.getPaymentMethod(), r.getGrossAmountPaise(), r.getGstAmountPaise(),
                    r.getPaymentGatewayFeePaise(), r.getPaymentGatewayGstPaise(), r.getPlatformFeePaise(),
                    r.getPlatformFeeGstPaise(), r.getTcsPaise(), r.getTdsPaise(), r.getNetRevenuePaise(),
                    r.getScheduleName(), r.getRuleId(), r.getRuleVersion(), r.getCreatedAt(), shares);
        });
    }

    private static long exact(BigDecimal v) {
        return v == null ? 0 : v.longValueExact();
    }

}
