--liquibase formatted sql

--changeset commdesk:016-journal-kinds splitStatements:false
-- Kinds of the one journal writer (docs/ledger.md, "Journal kinds and keys"): a chargeback is no
-- longer booked as a refund, a refund Cashfree paid out has its own journal, and recovering what a
-- member owes is a journal of its own. Added to whatever the constraint allows now (other parts add
-- their kinds the same way).
do $$
declare
    def text;
    kind text;
begin
    foreach kind in array array['CHARGEBACK', 'REFUND_PAID', 'RECOVERY'] loop
        select pg_get_constraintdef(oid) into def from pg_constraint where conname = 'journal_kind_check';
        if def is null or position('''' || kind || '''' in def) > 0 then
            continue;
        end if;
        execute 'alter table journal drop constraint journal_kind_check';
        execute 'alter table journal add constraint journal_kind_check '
                || replace(def, 'ARRAY[', 'ARRAY[''' || kind || '''::text, ');
    end loop;
end $$;

--changeset commdesk:016-journal-key-namespace
-- Why: a client's Idempotency-Key used to become the payment journal's key as it was, so a client
-- could take a key the ledger makes for itself ("refund:<id>", "release:<hold>", "payout-lock:<payout>")
-- and block or fake that movement (issue 10, defect 1). Every journal key is now
-- "<kind>:<scope>:<id>", made only by the journal writer, and its first part must be the journal's own
-- kind: a PAYMENT journal's key starts with "payment:", so no payment key can ever equal the key of
-- a refund, a release or a payout movement. Journals written before this part keep their keys
-- (NOT VALID checks new rows only).
alter table journal add constraint journal_key_namespace
    check (idempotency_key ~ '^[a-z_]+:[^:]+:.+$' and split_part(idempotency_key, ':', 1) = lower(kind)) not valid;
