package com.commdesk.activities.cashfree;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The bank's reference (UTR) in Cashfree's Get Transfer Status V2 answer and webhook data ({@code transfer_utr}). */
class CashfreeTransferUtrTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aSuccessfulTransferCarriesItsUtr() throws Exception {
        CashfreePayouts.Transfer t = CashfreePayoutsClient.transferOf(JSON.readTree("""
                {"transfer_id":"JUNOB2018","cf_transfer_id":"123456","status":"SUCCESS","status_code":"COMPLETED",
                 "beneficiary_details":{"beneficiary_id":"JOHN18011"},"transfer_amount":1,"transfer_service_charge":1,
                 "transfer_service_tax":0.18,"transfer_mode":"BANK","transfer_utr":"N351200478962883","fundsource_id":"CASHFREE_1",
                 "added_on":"2021-11-24T13:39:25Z","updated_on":"2021-11-24T13:40:27Z"}"""));
        assertThat(t.utr()).isEqualTo("N351200478962883");
        assertThat(t.status()).isEqualTo("SUCCESS");
        assertThat(t.amountPaise()).isEqualTo(100);
    }

    @Test
    void aTransferNotYetAtTheBankHasNone() throws Exception {
        for (String utr : new String[] {"", "\"transfer_utr\":null,", "\"transfer_utr\":\"\",", "\"transfer_utr\":\"  \","}) {
            CashfreePayouts.Transfer t = CashfreePayoutsClient.transferOf(JSON.readTree(
                    "{\"transfer_id\":\"t1\",\"cf_transfer_id\":\"1\"," + utr + "\"status\":\"RECEIVED\",\"transfer_amount\":1.5}"));
            assertThat(t.utr()).as(utr).isNull();
        }
    }
}
