--liquibase formatted sql

--changeset commdesk:123-webhook-payment-id-namespace splitStatements:false
-- Why: a payment claimed by its signed Cashfree webhook is recorded as 'cf-' || its order id, and a client's
-- Idempotency-Key is its payment's id. A client key 'cf-ORD2' on order ORD1 took the id ORD2's webhook would need: that
-- webhook then met ORD1's payment (an idempotency conflict) and ORD2's money stayed unbooked (review s12). The API refuses
-- such keys; the database refuses any payment whose id is in the webhooks' namespace and is not its own order's, whoever
-- writes it. Checked for the rows already there too: a database where a client used such a key before this fails here
-- on purpose (the payment may have taken another order's id); find them with
--   select payment_id, cashfree_order_id from payment
--    where lower(left(payment_id, 3)) = 'cf-' and payment_id <> 'cf-' || cashfree_order_id;
-- and have finance look at each before migrating.
alter table payment add constraint payment_webhook_id_is_its_order
    check (lower(left(payment_id, 3)) <> 'cf-' or payment_id = 'cf-' || cashfree_order_id);
