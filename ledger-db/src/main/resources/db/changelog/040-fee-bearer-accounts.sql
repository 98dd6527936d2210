--liquibase formatted sql

--changeset commdesk:040-fee-bearer-accounts
-- Who bears each fee (docs/fees.md, "Who bears each fee"; PaymentJournal): the debit of a payment's
-- gateway recovery and platform fee names the bearer. Community: its pool (as before). Platform: its own
-- expense for gateway charges a promotion absorbs. Customer: the convenience fee it paid on top of the
-- ticket price, credited to a clearing account when the payment arrives and emptied by the fees it is for.
-- (The journal writer would create them on first use; seeding them keeps the chart of accounts complete.)
insert into ledger_account (code, kind, purpose) values
    ('gateway_fee_absorbed',      'EXPENSE',   'GATEWAY_FEE_ABSORBED'),
    ('convenience_fee_clearing',  'LIABILITY', 'CONVENIENCE_FEE_CLEARING')
on conflict (code) do nothing;
