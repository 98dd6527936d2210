--liquibase formatted sql

--changeset commdesk:018-refunds-in-flight-account
-- What we owe customers whose refund Cashfree has accepted but not yet paid (docs/payments.md,
-- "Refunds"): a refund is reserved in the ledger before Cashfree is asked, into this account, and
-- leaves it to cashfree_clearing when Cashfree says SUCCESS, or is reversed when it says
-- CANCELLED / FAILED.
insert into ledger_account (code, kind, purpose) values ('refunds_in_flight', 'LIABILITY', 'REFUNDS_IN_FLIGHT');

--changeset commdesk:018-refund-request
-- The client's Idempotency-Key of a refund, stored apart from every ledger key (issue 10, defect 1):
-- written by the API before the refund's workflow starts. The same key for another payment, or with
-- another body, is a conflict (409); the journal keys of the refund are the writer's own.
create table refund_request (
    refund_id       text        primary key check (refund_id ~ '^[A-Za-z0-9_-]{1,40}$'),
    payment_id      text        not null references payment (payment_id),
    request_sha256  text        not null check (request_sha256 ~ '^[0-9a-f]{64}$'),
    kind            text        not null check (kind in ('REFUND', 'CHARGEBACK')),
    amount_paise    bigint      not null check (amount_paise > 0),
    requested_by    text        not null check (length(requested_by) between 1 and 128),
    created_at      timestamptz not null default now()
);
create index refund_request_payment_idx on refund_request (payment_id);
create trigger refund_request_append_only before update or delete on refund_request
    for each row execute function ledger_forbid_change();
create trigger refund_request_no_truncate before truncate on refund_request
    for each statement execute function ledger_forbid_change();

--changeset commdesk:018-refund-outcome
-- How a reserved refund ended, once: SUCCEEDED (Cashfree paid it: REFUND_PAID journal), FAILED or
-- CANCELLED (the reservation is reversed: REVERSAL journal). A refund without an outcome is PENDING.
-- A chargeback is final when posted (Cashfree already took the money) and gets SUCCEEDED at once.
create table refund_outcome (
    refund_id           text        primary key references refund (refund_id),
    outcome             text        not null check (outcome in ('SUCCEEDED', 'FAILED', 'CANCELLED')),
    journal_id          bigint      not null references journal (journal_id),
    cashfree_refund_id  text        null,
    detail              text        null check (length(detail) <= 1000),
    decided_by          text        null check (length(decided_by) <= 128),
    created_at          timestamptz not null default now()
);
create trigger refund_outcome_append_only before update or delete on refund_outcome
    for each row execute function ledger_forbid_change();
create trigger refund_outcome_no_truncate before truncate on refund_outcome
    for each statement execute function ledger_forbid_change();

-- What a refund takes off the platform's revenue (zero when the fee policy keeps it), for the
-- projections below. Null on refunds posted before this part.
alter table refund add column platform_fee_refunded_paise bigint null check (platform_fee_refunded_paise >= 0);
alter table refund add column platform_gst_refunded_paise bigint null check (platform_gst_refunded_paise >= 0);

--changeset commdesk:018-platform-revenue-follows-refunds
-- Why (defect 11): platform_revenue had one row per payment and nothing else, so refunds and
-- reversals never reached it. Now every journal that changes the platform's fee has its row:
-- PAYMENT (+), REFUND (-, a refund or chargeback that gives the fee back), REFUND_CANCELLED (+, its
-- reversal when Cashfree cancels or fails the refund) and REVERSAL (-, a reversed payment).
alter table platform_revenue add column kind text not null default 'PAYMENT'
    check (kind in ('PAYMENT', 'REFUND', 'REFUND_CANCELLED', 'REVERSAL'));
alter table platform_revenue add column journal_id bigint null;
alter table platform_revenue drop constraint platform_revenue_transaction_id_key;
create unique index platform_revenue_payment_idx on platform_revenue (transaction_id) where kind = 'PAYMENT';
create unique index platform_revenue_journal_idx on platform_revenue (journal_id) where journal_id is not null;
alter table platform_revenue drop constraint platform_revenue_amount_paise_check;
alter table platform_revenue drop constraint platform_revenue_gst_amount_paise_check;
alter table platform_revenue add constraint platform_revenue_sign check (
    case when kind in ('PAYMENT', 'REFUND_CANCELLED') then amount_paise >= 0 and gst_amount_paise >= 0
         else amount_paise <= 0 and gst_amount_paise <= 0 end);

--changeset commdesk:018-net-total-is-a-result
-- A community's net revenue total is a result, not a balance: a payment refunded in full while the
-- community bears Cashfree's kept fee leaves it at minus that fee (the members owe it; their wallets,
-- which are balances, never go below zero). Every other total stays >= 0.
alter table community_wallet drop constraint community_wallet_total_net_revenue_paise_check;

--changeset commdesk:018-refund-totals splitStatements:false
-- Refunds and chargebacks come out of the community's totals when they are posted (reserved), and
-- go back in when Cashfree cancels or fails them: gross by the amount, GST collected by its GST part,
-- platform fees by what the platform gave back, gateway fees by what the platform bore, net by what
-- the community's members gave back.
create function ledger_project_refund_totals() returns trigger language plpgsql security definer as $$
declare
    sign integer := case when tg_table_name = 'refund' then -1 else 1 end;
    x record;
begin
    if tg_table_name = 'refund_outcome' then
        if new.outcome = 'SUCCEEDED' then
            return null;
        end if;
        select * into x from refund where refund_id = new.refund_id;
    else
        x := new;
    end if;
    perform ledger_add_community_totals(
        array[(select community_id from revenue_transaction where transaction_id = x.transaction_id)],
        array[sign * x.amount_paise],
        array[sign * coalesce(x.platform_fee_refunded_paise, 0)],
        array[sign * case when x.gateway_fee_policy = 'BORNE_BY_PLATFORM' then coalesce(x.part_gateway_paise, 0) else 0 end],
        array[sign * coalesce(x.part_gst_paise, 0)],
        array[sign * (x.from_pending_paise + x.from_available_paise + x.to_receivable_paise)]);
    return null;
end $$;
create trigger refund_projects_totals after insert on refund
    for each row execute function ledger_project_refund_totals();
create trigger refund_outcome_projects_totals after insert on refund_outcome
    for each row execute function ledger_project_refund_totals();

do $$
begin
    execute format('alter function ledger_project_refund_totals() set search_path = %I, pg_catalog, pg_temp', current_schema());
end $$;

--changeset commdesk:018-legacy-refund-totals
-- Refunds posted before this part never reached the totals or platform_revenue: bring both up to
-- date once, from the refunds' own journals (what the invariant checker proves them against).
update community_wallet w
   set total_gross_revenue_paise = w.total_gross_revenue_paise - d.gross,
       total_gst_collected_paise = w.total_gst_collected_paise - d.gst,
       total_net_revenue_paise = w.total_net_revenue_paise - d.net,
       total_gateway_fees_paise = w.total_gateway_fees_paise - d.gateway,
       total_platform_fees_paise = w.total_platform_fees_paise - d.platform
  from (select rt.community_id, sum(r.amount_paise) as gross, sum(coalesce(r.part_gst_paise, 0)) as gst,
               sum(r.from_pending_paise + r.from_available_paise + r.to_receivable_paise) as net,
               sum(case when r.gateway_fee_policy = 'BORNE_BY_PLATFORM' then coalesce(r.part_gateway_paise, 0) else 0 end) as gateway,
               sum(coalesce((select sum(p.amount_paise) from posting p join ledger_account a using (account_id)
                              where p.journal_id = r.journal_id
                                and (a.purpose = 'PLATFORM_FEE_INCOME'
                                     or (a.purpose = 'PLATFORM_GST_PAYABLE' and rt.platform_fee_gst_mode = 'INCLUDED'))), 0)) as platform
          from refund r join revenue_transaction rt using (transaction_id)
         group by rt.community_id) d
 where w.community_id = d.community_id;

insert into platform_revenue (platform_revenue_id, transaction_id, amount_paise, gst_amount_paise, fee_bps, kind, journal_id)
select md5('platform:' || r.refund_id)::uuid, r.transaction_id,
       -coalesce((select sum(p.amount_paise) from posting p join ledger_account a using (account_id)
                   where p.journal_id = r.journal_id
                     and (a.purpose = 'PLATFORM_FEE_INCOME'
                          or (a.purpose = 'PLATFORM_GST_PAYABLE' and rt.platform_fee_gst_mode = 'INCLUDED'))), 0),
       -coalesce((select sum(p.amount_paise) from posting p join ledger_account a using (account_id)
                   where p.journal_id = r.journal_id and a.purpose = 'PLATFORM_GST_PAYABLE'), 0),
       pr.fee_bps, 'REFUND', r.journal_id
  from refund r join revenue_transaction rt using (transaction_id)
  join platform_revenue pr on pr.transaction_id = r.transaction_id and pr.kind = 'PAYMENT';

insert into platform_revenue (platform_revenue_id, transaction_id, amount_paise, gst_amount_paise, fee_bps, kind, journal_id)
select md5('platform-reversal:' || j.journal_id)::uuid, rt.transaction_id, -pr.amount_paise, -pr.gst_amount_paise, pr.fee_bps,
       'REVERSAL', j.journal_id
  from journal j
  join revenue_transaction rt on rt.journal_id = j.reverses_journal_id
  join platform_revenue pr on pr.transaction_id = rt.transaction_id and pr.kind = 'PAYMENT'
 where j.kind = 'REVERSAL';
