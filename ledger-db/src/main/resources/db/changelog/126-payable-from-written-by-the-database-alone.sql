--liquibase formatted sql

--changeset commdesk:126-payable-from-written-by-the-database-alone
-- Why: since 3ae5754 the application never writes payout_beneficiary.payable_from; changeset 124's trigger sets it on
-- every insert and reactivation (a trigger's own assignment needs no column privilege) and refuses to clear it or move
-- it earlier. The runtime role kept UPDATE on the column from 019's list, so its connection could still move a
-- member's payable date later. Least privilege: the column leaves the list; ledger_apply_runtime_grants revokes it.
-- (124's comment says Beneficiaries.saveBeneficiary "applies" the rule; since 3ae5754 it checks what the trigger set.)
update runtime_access_policy set update_columns = array_remove(update_columns, 'payable_from')
 where table_name = 'payout_beneficiary';
select ledger_apply_runtime_grants();
