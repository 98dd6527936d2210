--liquibase formatted sql

--changeset commdesk:041-revenue-transaction-bearers splitStatements:false
-- Who bore each fee of a payment (docs/fees.md, "Who bears each fee"). The waterfall check of 003
-- assumed the community bore every fee; with bearers what the customer paid is
--   gross = GST + TCS + TDS + net + the charges the community and the customer bear
-- (a gateway fee the platform absorbs is CommDesk's own expense, outside what the customer paid; a
-- platform fee the platform bears is waived and recorded as 0), and the convenience fee is exactly the
-- customer-borne charges. Rows written before this change are all COMMUNITY and still satisfy it.
alter table revenue_transaction
    add column gateway_fee_bearer        text   not null default 'COMMUNITY'
        check (gateway_fee_bearer in ('COMMUNITY', 'PLATFORM', 'CUSTOMER')),
    add column platform_fee_bearer       text   not null default 'COMMUNITY'
        check (platform_fee_bearer in ('COMMUNITY', 'PLATFORM', 'CUSTOMER')),
    add column convenience_fee_paise     bigint not null default 0 check (convenience_fee_paise >= 0),
    add column platform_fee_waived_paise bigint not null default 0 check (platform_fee_waived_paise >= 0);

do $$
declare c text;
begin
    select conname into c from pg_constraint
     where conrelid = 'revenue_transaction'::regclass and contype = 'c'
       and pg_get_constraintdef(oid) like '%gross_amount_paise = %net_revenue_paise%';
    if c is null then
        raise exception 'the waterfall check of revenue_transaction (003) was not found';
    end if;
    execute format('alter table revenue_transaction drop constraint %I', c);
end $$;

alter table revenue_transaction
    add constraint revenue_transaction_waterfall check (
        gross_amount_paise = gst_amount_paise + tcs_paise + tds_paise + net_revenue_paise
            + case when gateway_fee_bearer = 'PLATFORM' then 0 else payment_gateway_fee_paise + payment_gateway_gst_paise end
            + platform_fee_paise + case when platform_fee_gst_mode = 'ON_TOP' then platform_fee_gst_paise else 0 end),
    add constraint revenue_transaction_convenience_fee check (
        convenience_fee_paise =
            case when gateway_fee_bearer = 'CUSTOMER' then payment_gateway_fee_paise + payment_gateway_gst_paise else 0 end
            + case when platform_fee_bearer = 'CUSTOMER'
                   then platform_fee_paise + case when platform_fee_gst_mode = 'ON_TOP' then platform_fee_gst_paise else 0 end
                   else 0 end),
    add constraint revenue_transaction_waived_fee check (
        case when platform_fee_bearer = 'PLATFORM' then platform_fee_paise = 0 and platform_fee_gst_paise = 0
             else platform_fee_waived_paise = 0 end);
