--liquibase formatted sql

--changeset commdesk:130-webhook-event-payment-success-index
-- Why: the payment starter's sweep looks every 15 s for PAYMENT_SUCCESS deliveries of payments awaiting their order
-- (WebhookEvents.paymentSuccessesNotYetSeen): by order id, among PAYMENT_SUCCESS deliveries only.
create index webhook_event_payment_success_order on webhook_event (order_id, received_at) where event_type = 'PAYMENT_SUCCESS_WEBHOOK';
