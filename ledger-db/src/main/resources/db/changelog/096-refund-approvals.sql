--liquibase formatted sql

--changeset commdesk:096-refund-approval
-- A community owner's refund above the approval threshold (docs/payments.md, "Refund approvals"): recorded
-- with its refund_request in one transaction and nothing else — no reservation, no workflow, nothing sent to
-- Cashfree — until a finance approver decides. APPROVED starts the refund's workflow (which reserves and runs
-- the usual lifecycle); REJECTED is final and moved nothing. Four eyes: the approver is never the requester,
-- compared case-insensitively, here as in the API and the workflow.
create table refund_approval (
    refund_id      text        primary key references refund_request (refund_id),
    payment_id     text        not null references payment (payment_id),
    community_id   text        not null check (length(community_id) between 1 and 128),
    kind           text        not null check (kind in ('REFUND', 'CHARGEBACK')),
    amount_paise   bigint      not null check (amount_paise > 0),
    threshold_paise bigint     not null check (threshold_paise >= 0 and amount_paise > threshold_paise),
    reason         text        not null check (length(reason) between 3 and 100),
    requested_by   text        not null check (length(requested_by) between 1 and 128),
    status         text        not null default 'AWAITING_APPROVAL' check (status in ('AWAITING_APPROVAL', 'APPROVED', 'REJECTED')),
    decided_by     text        null check (length(decided_by) between 1 and 128),
    decided_at     timestamptz null,
    decision_note  text        null check (length(decision_note) <= 500),
    created_at     timestamptz not null default now(),
    constraint refund_approval_four_eyes check (decided_by is null or lower(decided_by) <> lower(requested_by)),
    constraint refund_approval_decided check ((status = 'AWAITING_APPROVAL') = (decided_by is null and decided_at is null))
);
create index refund_approval_waiting_idx on refund_approval (created_at, refund_id) where status = 'AWAITING_APPROVAL';
create index refund_approval_community_idx on refund_approval (community_id, created_at);

--changeset commdesk:096-refund-approval-guards splitStatements:false
-- Decided once: AWAITING_APPROVAL may become APPROVED or REJECTED, nothing else ever changes, nothing is deleted.
create function refund_approval_decide_once() returns trigger language plpgsql as $$
begin
    if tg_op <> 'UPDATE' then
        raise exception 'refund_approval: % is not allowed', tg_op using errcode = 'P0001';
    end if;
    if old.status <> 'AWAITING_APPROVAL' or new.status = 'AWAITING_APPROVAL'
       or (new.refund_id, new.payment_id, new.community_id, new.kind, new.amount_paise, new.threshold_paise, new.reason,
           new.requested_by, new.created_at)
          is distinct from (old.refund_id, old.payment_id, old.community_id, old.kind, old.amount_paise, old.threshold_paise,
           old.reason, old.requested_by, old.created_at) then
        raise exception 'refund_approval %: already % or not a decision', old.refund_id, old.status using errcode = 'P0001';
    end if;
    return new;
end;
$$;
create trigger refund_approval_decided_once before update or delete on refund_approval
    for each row execute function refund_approval_decide_once();
create trigger refund_approval_no_truncate before truncate on refund_approval
    for each statement execute function ledger_forbid_change();
insert into runtime_access_policy (table_name, access, update_columns, why) values
    ('refund_approval', 'STATUS', '{status,decided_by,decided_at,decision_note}',
     'a refund waiting for finance: decided once, by someone other than its requester');
select ledger_apply_runtime_grants();
