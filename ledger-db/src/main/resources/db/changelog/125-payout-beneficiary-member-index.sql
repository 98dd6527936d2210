--liquibase formatted sql

--changeset commdesk:125-payout-beneficiary-member-index
-- Why: changeset 124's trigger asks, for every beneficiary written, whether the member had one before (superseded ones
-- included); payout_beneficiary_current (010) indexes only current rows, so that question read the whole table for
-- each insert (10,000 members' beneficiaries: SettlementOfTenThousandTest).
create index payout_beneficiary_member on payout_beneficiary (community_id, role, user_id);
