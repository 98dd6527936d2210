--liquibase formatted sql

--changeset commdesk:127-recon-exception-learns-its-payment splitStatements:false
-- Why: a MISSING_ON_OUR_SIDE exception is one per payment whichever of its ids a line carries (review s12), so the line
-- that came second (a file's with Cashfree's payment id only, then the API's with the order too, or the other way round)
-- added nothing, and the exception never learned the id it lacked. Without its order, reconciliation cannot tell the
-- payment from one of ours still on its way (a payment AWAITING_PAYMENT books its order when it sees it paid), and refuses
-- to adjust it (review of 5e43976). An OPEN exception may now have its order_id or cf_payment_id filled in once, from
-- null; nothing else of it changes but its resolution, as before.
create or replace function recon_exception_resolve_once() returns trigger language plpgsql as $$
begin
    if old.status <> 'OPEN' then
        raise exception 'reconciliation exception % is already %', old.exception_id, old.status using errcode = 'P0001';
    end if;
    if (old.order_id is not null and new.order_id is distinct from old.order_id)
       or (old.cf_payment_id is not null and new.cf_payment_id is distinct from old.cf_payment_id) then
        raise exception 'reconciliation exception %: its order and Cashfree payment ids are filled in once, never changed',
            old.exception_id using errcode = 'P0001';
    end if;
    if (new.exception_key, new.kind, new.first_run_id, new.cf_settlement_id,
        new.transaction_id, new.our_amount_paise, new.our_fee_paise, new.our_fee_gst_paise, new.their_amount_paise,
        new.their_fee_paise, new.their_fee_tax_paise, new.their_settlement_paise, new.detected_at)
       is distinct from
       (old.exception_key, old.kind, old.first_run_id, old.cf_settlement_id,
        old.transaction_id, old.our_amount_paise, old.our_fee_paise, old.our_fee_gst_paise, old.their_amount_paise,
        old.their_fee_paise, old.their_fee_tax_paise, old.their_settlement_paise, old.detected_at) then
        raise exception 'reconciliation exception %: only its resolution may change', old.exception_id using errcode = 'P0001';
    end if;
    return new;
end $$;
do $$
begin
    execute format('alter function recon_exception_resolve_once() set search_path = %I, pg_catalog, pg_temp', current_schema());
end $$;
update runtime_access_policy set update_columns = update_columns || array['order_id', 'cf_payment_id']
 where table_name = 'recon_exception' and not ('order_id' = any (update_columns));
select ledger_apply_runtime_grants();
