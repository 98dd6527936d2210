--liquibase formatted sql

--changeset commdesk:106-webhook-event-refund-answers-index
-- The API's refund-answer sweep (RefundSignals, every 5 minutes and at start) reads the refund-status webhooks of the last
-- two days whose refund has no outcome yet (WebhookEvents.refundAnswersNotBooked); without an index that read scans every
-- webhook ever received. A partial index on the time of the refund-status deliveries bounds it to the window.
create index webhook_event_refund_status_received_at on webhook_event (received_at) where event_type = 'REFUND_STATUS_WEBHOOK';
