package com.commdesk.ledger;

/**
 * Posts one payment (journal, revenue rows, wallets) atomically and idempotently by its key: either
 * in a transaction of its own ({@link PaymentLedger#postPayment}) or in the next group commit
 * ({@link PaymentGroupCommitter#post}). Throws {@link LedgerException} when the payment is refused.
 */
@FunctionalInterface
public interface PaymentPoster {
    PostedPayment post(PaymentPosting posting) throws InterruptedException;
}
