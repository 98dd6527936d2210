package com.commdesk.ledger.payout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.commdesk.ledger.LedgerDatabase;
import com.commdesk.ledger.testing.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Beneficiaries as PostgreSQL stores them (issue 10 item 9: UPI beneficiaries could not be stored at all). */
class PayoutBeneficiaryTest {
    LedgerDatabase db;
    PayoutRepository payouts;

    @BeforeEach
    void setUp() {
        db = TestDatabases.fresh();
        payouts = new PayoutRepository(db.dsl());
    }

    @AfterEach
    void tearDown() throws Exception {
        db.close();
    }

    @Test
    void aUpiBeneficiaryIsStored() {
        var b = payouts.saveBeneficiary("demo-community", "owner", "u-owner", "Asha Rao", null, null, "asha.rao@okhdfc", "ops");
        assertThat(b.kind()).isEqualTo("UPI");
        assertThat(b.vpa()).isEqualTo("asha.rao@okhdfc");
        assertThat(payouts.currentBeneficiary("demo-community", "owner", "u-owner")).contains(b);
    }

    @Test
    void theDatabaseStillRefusesAMalformedVpa() {
        assertThatThrownBy(() -> db.dsl().execute("insert into payout_beneficiary (beneficiary_id, community_id, role, user_id, name,"
                + " kind, vpa, created_by) values ('bene_x', 'demo-community', 'owner', 'u-x', 'X Y', 'UPI', 'no-at-sign', 'ops')"))
                .hasMessageContaining("payout_beneficiary");
    }
}
