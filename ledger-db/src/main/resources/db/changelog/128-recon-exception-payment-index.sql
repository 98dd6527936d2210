--liquibase formatted sql

--changeset commdesk:128-recon-exception-payment-index
-- Why: every payment posting now looks up the adjusted MISSING_ON_OUR_SIDE exceptions of its orders and Cashfree payments
-- (PaymentLedger.settledByReconciliation, review of 8ee02d7); order_id has its index (011), cf_payment_id had none, so the
-- lookup read the whole table once a batch.
create index recon_exception_cf_payment_idx on recon_exception (cf_payment_id);
