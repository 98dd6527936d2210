package com.commdesk.activities.cashfree;

import java.util.Optional;

/**
 * Cashfree Payouts v2, as much as CommDesk uses: beneficiaries and single transfers. Our own
 * interface (there is no Payouts Java SDK); {@link CashfreePayoutsClient} implements it over HTTP.
 * Failures are {@link CashfreeUnavailableException} (5xx, 429, timeouts, I/O: the outcome is
 * UNKNOWN for a transfer request — ask {@link #transfer}, never re-send), {@link CashfreeNotFoundException},
 * or {@link CashfreeRejectedException} (4xx; {@code errorCode()} says why, e.g.
 * {@code transfer_id_already_exists}).
 */
public interface CashfreePayouts {
    String TRANSFER_ID_EXISTS = "transfer_id_already_exists";
    String BENEFICIARY_EXISTS = "beneficiary_id_already_exists";

    /** A beneficiary as Cashfree needs it: bank account + IFSC, or a UPI VPA. */
    record NewBeneficiary(String beneficiaryId, String name, String bankAccountNumber, String bankIfsc, String vpa) {}

    /** A transfer: our transfer_id (the payout id), the amount in paise, the beneficiary. */
    record NewTransfer(String transferId, long amountPaise, String beneficiaryId, String mode) {}

    /** Cashfree's view of a transfer. status: RECEIVED, PENDING, SUCCESS, FAILED, REJECTED, REVERSED, ... */
    record Transfer(String transferId, String cfTransferId, String status, String statusCode, String statusDescription,
                    long amountPaise) {}

    Optional<NewBeneficiary> beneficiary(String beneficiaryId);

    /** Registers a beneficiary; one that already exists is a {@link CashfreeRejectedException} with {@link #BENEFICIARY_EXISTS}. */
    void createBeneficiary(NewBeneficiary beneficiary);

    /** Requests one transfer. Never retried inside: a timeout or 5xx leaves the outcome unknown. */
    Transfer createTransfer(NewTransfer transfer);

    /** The transfer by our transfer_id, or empty if Cashfree does not know it. Safe to retry. */
    Optional<Transfer> transfer(String transferId);
}
