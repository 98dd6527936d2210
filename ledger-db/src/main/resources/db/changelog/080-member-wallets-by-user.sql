--liquibase formatted sql

--changeset commdesk:080-member-wallets-by-user
-- Why: a member's dashboard (issue 12) starts from the member alone (its token's sub is its member id)
-- and lists its wallets in every community it belongs to; member_wallet's key starts with the community.
create index member_wallet_user_idx on member_wallet (user_id);
--rollback drop index member_wallet_user_idx;
