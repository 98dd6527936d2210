package com.commdesk.activities.cashfree;

import java.util.Optional;

/**
 * Cashfree Payouts v2, as much as CommDesk uses: beneficiaries and single transfers. Our own
 * interface (there is no Payouts Java SDK); {@link CashfreePayoutsClient} implements it over HTTP.
 * Failures are {@link CashfreeUnavailableException} (5xx, 429, timeouts, I/O: the outcome is
 * UNKNOWN for a transfer request — ask {@link #transfer}, never re-send), {@link CashfreeNotFoundException},
 * or {@link CashfreeRejectedException} (4xx; {@code errorCode()} says why). A duplicate
 * {@code transfer_id} is refused by Cashfree, but with no documented code: never rely on the code,
 * ask {@link #transfer} (docs/cashfree.md).
 */
public interface CashfreePayouts {
    /** Documented (409): our beneficiary_id is registered already. */
    String BENEFICIARY_ID_EXISTS = "beneficiary_id_already_exists";
    /** Documented (409): the same bank account + IFSC is registered under another beneficiary_id. */
    String BENEFICIARY_ACCOUNT_EXISTS = "beneficiary_already_exists";
    /** Documented 404 code of GET /payout/beneficiary (and of POST /payout/transfers: the beneficiary is gone). */
    String BENEFICIARY_NOT_FOUND = "beneficiary_not_found";
    /** Documented 404 code of GET /payout/transfers?transfer_id=. */
    String TRANSFER_NOT_FOUND = "transfer_id_not_found";

    /** A beneficiary as Cashfree needs it: bank account + IFSC, or a UPI VPA. */
    record NewBeneficiary(String beneficiaryId, String name, String bankAccountNumber, String bankIfsc, String vpa) {}

    /** A transfer: our transfer_id (the payout id), the amount in paise, the beneficiary, Cashfree's transfer_mode (banktransfer, upi). */
    record NewTransfer(String transferId, long amountPaise, String beneficiaryId, String mode) {}

    /**
     * Cashfree's view of a transfer. status: RECEIVED, PENDING, SUCCESS, FAILED, REJECTED, REVERSED, ...;
     * utr: the bank's reference ({@code transfer_utr}) once the transfer succeeded, else null.
     */
    record Transfer(String transferId, String cfTransferId, String status, String statusCode, String statusDescription,
                    long amountPaise, String utr) {}

    Optional<NewBeneficiary> beneficiary(String beneficiaryId);

    /** The beneficiary registered for this bank account + IFSC, under whatever id, or empty. */
    Optional<NewBeneficiary> beneficiaryByAccount(String bankAccountNumber, String bankIfsc);

    /**
     * Registers a beneficiary; one that already exists is a {@link CashfreeRejectedException} (409) with
     * {@link #BENEFICIARY_ID_EXISTS} or {@link #BENEFICIARY_ACCOUNT_EXISTS}.
     */
    void createBeneficiary(NewBeneficiary beneficiary);

    /** Requests one transfer. Never retried inside: a timeout or 5xx leaves the outcome unknown. */
    Transfer createTransfer(NewTransfer transfer);

    /** The transfer by our transfer_id, or empty if Cashfree does not know it. Safe to retry. */
    Optional<Transfer> transfer(String transferId);
}
