--liquibase formatted sql

--changeset commdesk:005-demo-community context:demo
-- A demo community for the embedded platform and the smoke test, with the spec's role split.
insert into community (community_id, name, tier, supplier_state, hold_days, payout_policy, min_payout_paise)
values ('demo-community', 'Demo Community', 'STANDARD', 'KA', 7, 'DAILY', 10000);
insert into community_role (community_id, role, share_bps, split_mode, position) values
    ('demo-community', 'owner',      5000, 'EQUAL', 0),
    ('demo-community', 'admins',     2000, 'EQUAL', 1),
    ('demo-community', 'moderators', 1000, 'EQUAL', 2),
    ('demo-community', 'event_team', 2000, 'EQUAL', 3);
insert into community_member (community_id, role, user_id, position) values
    ('demo-community', 'owner',      'u-owner',  0),
    ('demo-community', 'admins',     'u-admin1', 0),
    ('demo-community', 'admins',     'u-admin2', 1),
    ('demo-community', 'moderators', 'u-mod1',   0),
    ('demo-community', 'event_team', 'u-event1', 0),
    ('demo-community', 'event_team', 'u-event2', 1),
    ('demo-community', 'event_team', 'u-event3', 2);
