-- Seed for payment-shape.pgbench.sql: 64 communities x 12 members, their wallets and accounts.
insert into community (community_id, name, supplier_state) select 'c' || g, 'c' || g, 'KA' from generate_series(0, 63) g;
insert into ledger_account (code, kind, purpose, community_id, role, user_id)
    select 'member:c' || c || ':r' || (m / 3) || ':u' || m || ':pending', 'LIABILITY', 'MEMBER_PENDING', 'c' || c, 'r' || (m / 3), 'u' || m
      from generate_series(0, 63) c, generate_series(0, 11) m;
insert into community_wallet (community_id) select 'c' || g from generate_series(0, 63) g;
insert into member_wallet (community_id, role, user_id)
    select 'c' || c, 'r' || (m / 3), 'u' || m from generate_series(0, 63) c, generate_series(0, 11) m;
create sequence bench_payment_seq;
