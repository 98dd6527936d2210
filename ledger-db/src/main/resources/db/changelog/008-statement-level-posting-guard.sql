--liquibase formatted sql

--changeset commdesk:008-statement-level-posting-guard splitStatements:false
-- Same guarantee as 002's row trigger (a posting may only join a journal created by the same
-- transaction), checked once per INSERT statement over all its rows instead of once per row:
-- a payment inserts ~22 postings in one statement, a group commit thousands.
create function ledger_check_postings_same_tx() returns trigger language plpgsql as $$
declare
    stray bigint;
begin
    select n.journal_id into stray
      from new_postings n
      left join journal j on j.journal_id = n.journal_id and j.tx_id = txid_current()
     where j.journal_id is null
     limit 1;
    if stray is not null then
        raise exception 'posting to journal % outside the transaction that created it', stray
            using errcode = 'P0003';
    end if;
    return null;
end $$;

drop trigger posting_same_tx on posting;
drop function ledger_check_posting_same_tx();
create trigger posting_same_tx after insert on posting
    referencing new table as new_postings
    for each statement execute function ledger_check_postings_same_tx();
