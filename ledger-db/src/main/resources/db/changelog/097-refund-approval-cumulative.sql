--liquibase formatted sql

--changeset commdesk:097-refund-approval-requested-total splitStatements:false
-- The owners' approval threshold is on the total asked for per payment, not per request (docs/payments.md,
-- "Refund approvals"): an owner who splits a large refund into parts at or below the threshold still waits for
-- finance once the parts add up to more than it. requested_total_paise is that total, this refund included,
-- when the approval was asked for; it is what passed the threshold, so a part may itself be below it.
alter table refund_approval add column requested_total_paise bigint;
alter table refund_approval disable trigger refund_approval_decided_once;
update refund_approval set requested_total_paise = amount_paise;
alter table refund_approval enable trigger refund_approval_decided_once;
alter table refund_approval alter column requested_total_paise set not null;
alter table refund_approval drop constraint refund_approval_check;
alter table refund_approval add constraint refund_approval_over_threshold
    check (threshold_paise >= 0 and requested_total_paise >= amount_paise and requested_total_paise > threshold_paise);

--changeset commdesk:097-refund-reserved-only-when-approved splitStatements:false
-- Nothing is reserved for a refund waiting for finance, or rejected, whoever starts its workflow: a refund with a
-- refund_approval is reserved only once that approval is APPROVED (RefundLedger.reserve checks it first).
create function refund_requires_approval() returns trigger language plpgsql as $$
declare
    approval text;
begin
    select status into approval from refund_approval where refund_id = new.refund_id;
    if approval is not null and approval <> 'APPROVED' then
        raise exception 'refund %: its approval is %, not APPROVED; nothing is reserved', new.refund_id, approval
            using errcode = 'P0001';
    end if;
    return new;
end;
$$;
create trigger refund_reserved_only_when_approved before insert on refund
    for each row execute function refund_requires_approval();
