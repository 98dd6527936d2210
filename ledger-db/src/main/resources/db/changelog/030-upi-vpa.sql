--liquibase formatted sql

--changeset commdesk:030-payout-beneficiary-vpa-check
-- 010's VPA check used {2,256}: PostgreSQL's regular expressions allow repetition counts up to 255
-- only, so the check failed ("invalid repetition count") on every UPI beneficiary and the API
-- answered 500 (issue 10 item 9). Same rule, length bounded separately: at most 255 characters in
-- all (a UPI id's limit), letters, digits, '.', '_' and '-' before the '@', a handle after it.
alter table payout_beneficiary drop constraint payout_beneficiary_vpa_check;
alter table payout_beneficiary add constraint payout_beneficiary_vpa_check
    check (vpa is null or (length(vpa) <= 255 and vpa ~ '^[A-Za-z0-9._-]{2,}@[A-Za-z][A-Za-z0-9]{1,63}$'));
