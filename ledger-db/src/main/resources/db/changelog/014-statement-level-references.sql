--liquibase formatted sql

--changeset commdesk:014-statement-level-references splitStatements:false
-- Why: a row-level foreign key runs one query and takes one KEY SHARE row lock per inserted row.
-- A payment inserts ~22 postings (two keys each) and 12 distributions, and every concurrent
-- payment key-share-locks the same system accounts, which turns those locks into MultiXacts.
-- pgbench on the payment's exact row shape (docs/ledger.md, "Speed") measured the journal +
-- postings part at 2x the throughput without the posting keys.
--
-- Same guarantee, checked once per INSERT statement over all its rows (transition table):
-- every posting names an existing journal of this transaction (008) and an existing account;
-- every distribution names an existing revenue transaction. A parent can never disappear
-- afterwards, because journal, ledger_account and revenue_transaction refuse UPDATE, DELETE and
-- TRUNCATE (002, 003, and ledger_account's TRUNCATE guard below, which the key used to give).
-- A violation keeps the foreign-key SQLSTATE 23503, so callers classify it as before.
create function ledger_check_postings_references() returns trigger language plpgsql as $$
declare
    stray_journal bigint;
    stray_account bigint;
begin
    select n.journal_id into stray_journal
      from new_postings n
      left join journal j on j.journal_id = n.journal_id and j.tx_id = txid_current()
     where j.journal_id is null
     limit 1;
    if stray_journal is not null then
        raise exception 'posting to journal % outside the transaction that created it', stray_journal
            using errcode = 'P0003';
    end if;
    select n.account_id into stray_account
      from new_postings n
      left join ledger_account a on a.account_id = n.account_id
     where a.account_id is null
     limit 1;
    if stray_account is not null then
        raise exception 'posting to account % which does not exist', stray_account
            using errcode = '23503';
    end if;
    return null;
end $$;

drop trigger posting_same_tx on posting;
drop function ledger_check_postings_same_tx();
create trigger posting_references after insert on posting
    referencing new table as new_postings
    for each statement execute function ledger_check_postings_references();
alter table posting drop constraint posting_journal_id_fkey;
alter table posting drop constraint posting_account_id_fkey;

create function ledger_check_distributions_references() returns trigger language plpgsql as $$
declare
    stray uuid;
begin
    select n.transaction_id into stray
      from new_distributions n
      left join revenue_transaction t on t.transaction_id = n.transaction_id
     where t.transaction_id is null
     limit 1;
    if stray is not null then
        raise exception 'distribution of revenue transaction % which does not exist', stray
            using errcode = '23503';
    end if;
    return null;
end $$;

create trigger revenue_distribution_references after insert on revenue_distribution
    referencing new table as new_distributions
    for each statement execute function ledger_check_distributions_references();
alter table revenue_distribution drop constraint revenue_distribution_transaction_id_fkey;

create trigger ledger_account_no_truncate before truncate on ledger_account
    for each statement execute function ledger_forbid_change();

-- Every lookup by transaction_id is served by unique (transaction_id, role_id, user_id); this
-- second index only cost a write per distribution.
drop index revenue_distribution_tx_idx;
