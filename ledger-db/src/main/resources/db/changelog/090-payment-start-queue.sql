--liquibase formatted sql

--changeset commdesk:090-payment-start-queue
-- POST /api/v1/payments answers once the payment is recorded; its workflow is started right after, by the
-- API's PaymentStarter, and again by its sweep if that start was lost (a crash, Temporal unreachable). So the
-- row carries everything a start needs (the request's metadata, which fee rules read) and whether the start
-- has been confirmed. Starting twice is harmless: the workflow id is the order's and its id policies join
-- or refuse a second start.
alter table payment add column request_metadata jsonb not null default '{}'::jsonb
    check (jsonb_typeof(request_metadata) = 'object');
alter table payment add column workflow_started_at timestamptz null;
-- Every payment recorded before this change was started in the request that recorded it.
update payment set workflow_started_at = created_at;
create index payment_unstarted_idx on payment (created_at) where workflow_started_at is null;
