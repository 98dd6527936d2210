--liquibase formatted sql

--changeset commdesk:105-community-source-types
-- The revenue sources a community offers (issue 10 item 7, docs/decisions.md D16): a payment whose
-- source type is not among them is refused (422 at POST /api/v1/payments; non-retryably by the
-- payment's verification for webhook-started payments). Null: the community offers every source type
-- (communities onboarded before this column). Same spelling as a payment's sourceType.
alter table community add column source_types text[] null
    check (source_types is null or (cardinality(source_types) between 1 and 50
        and array_position(source_types, null) is null
        and array_to_string(source_types, ',') ~ '^[A-Z][A-Z0-9_]{1,31}(,[A-Z][A-Z0-9_]{1,31})*$'));
