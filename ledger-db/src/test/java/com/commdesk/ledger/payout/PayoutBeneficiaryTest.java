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
        var b = payouts.saveBeneficiary("demo-community", "owner", "u-owner", "Asha Rao", null, null, "asha.rao@okhdfc", "u-owner");
        assertThat(b.kind()).isEqualTo("UPI");
        assertThat(b.vpa()).isEqualTo("asha.rao@okhdfc");
        assertThat(payouts.currentBeneficiary("demo-community", "owner", "u-owner")).contains(b);
    }

    /**
     * Review s13 (HIGH): a community's owner set a member's first beneficiary and it was payable at once, so an owner could
     * have a member's next payout sent to an account of the owner's choosing before the member could know. Only the member
     * itself makes its first beneficiary payable at once; anyone else's, like any change, waits the community's cooling-off.
     */
    @Test
    void aFirstBeneficiarySetByAnyoneButItsMemberWaitsTheCoolingOff() {
        var byOwner = payouts.saveBeneficiary("demo-community", "admins", "u-admin1", "Ravi Kumar", "000111222444", "HDFC0000001", null,
                "owner-of-demo");
        assertThat(byOwner.payableFrom()).isAfter(java.time.OffsetDateTime.now().plusHours(23));

        var byItsMember = payouts.saveBeneficiary("demo-community", "owner", "u-owner", "Asha Rao", "000111222333", "HDFC0000001", null,
                "u-owner");
        assertThat(byItsMember.payableFrom()).isNull();
        // The owner saving the member's own details again changes nothing: it neither holds the member's payouts nor
        // makes the owner's own choice payable sooner.
        assertThat(payouts.saveBeneficiary("demo-community", "owner", "u-owner", "Asha Rao", "000111222333", "HDFC0000001", null,
                "owner-of-demo").payableFrom()).isNull();
        assertThat(payouts.saveBeneficiary("demo-community", "admins", "u-admin1", "Ravi Kumar", "000111222444", "HDFC0000001", null,
                "u-admin1").payableFrom()).isEqualTo(byOwner.payableFrom());
        // A change by the member itself still waits (account takeover).
        var changed = payouts.saveBeneficiary("demo-community", "owner", "u-owner", "Asha Rao", null, null, "asha.rao@okhdfc", "u-owner");
        assertThat(changed.payableFrom()).isAfter(java.time.OffsetDateTime.now().plusHours(23));
    }

    /**
     * s14 left undone: the cooling-off holds an account someone else set (or any change) so that the member can see and
     * replace it, but the member could learn of it only by reading its beneficiary. Every account that becomes a member's
     * current one is now a notice to that member (its pages list them), written by the database itself (changeset 129),
     * which the application's own connection may read but never write, change or delete.
     */
    @Test
    void everyAccountThatBecomesAMembersCurrentOneIsANoticeToThatMember() {
        var byOwner = payouts.saveBeneficiary("demo-community", "admins", "u-admin1", "Ravi Kumar", "000111222444", "HDFC0000001", null,
                "owner-of-demo");
        payouts.saveBeneficiary("demo-community", "admins", "u-admin1", "Ravi Kumar", "000111222444", "HDFC0000001", null,
                "owner-of-demo"); // the same details again: nothing new
        payouts.saveBeneficiary("demo-community", "admins", "u-admin1", "Ravi Kumar", null, null, "ravi.k@okaxis", "u-admin1");

        var notices = db.dsl().fetch("select kind, community_id, role, beneficiary_id, account_hint, set_by, payable_from"
                + " from member_notice where user_id = 'u-admin1' order by notice_id");
        assertThat(notices).hasSize(2);
        assertThat(notices.get(0).get("kind")).isEqualTo("PAYOUT_ACCOUNT_SET");
        assertThat(notices.get(0).get("set_by")).isEqualTo("owner-of-demo");
        assertThat(notices.get(0).get("beneficiary_id")).isEqualTo(byOwner.beneficiaryId());
        assertThat((String) notices.get(0).get("account_hint")).contains("2444").contains("HDFC0000001").doesNotContain("000111222444");
        assertThat(notices.get(0).get("payable_from", java.time.OffsetDateTime.class)).isEqualTo(byOwner.payableFrom());
        assertThat(notices.get(1).get("kind")).isEqualTo("PAYOUT_ACCOUNT_CHANGED");
        assertThat((String) notices.get(1).get("account_hint")).contains("ra").contains("@okaxis").doesNotContain("ravi.k");
        assertThat(notices.get(1).get("set_by")).isEqualTo("u-admin1");

        var page = new MemberNotices(db.dsl()).of("u-admin1", null, 50);
        assertThat(page).extracting(MemberNotices.Notice::kind).as("newest first").containsExactly("PAYOUT_ACCOUNT_CHANGED", "PAYOUT_ACCOUNT_SET");
        assertThat(new MemberNotices(db.dsl()).of("u-admin1", page.get(0).noticeId(), 50)).hasSize(1);
        assertThat(new MemberNotices(db.dsl()).of("u-owner", null, 50)).as("only its own").isEmpty();

        assertThatThrownBy(() -> db.dsl().execute("insert into member_notice (user_id, community_id, role, kind, beneficiary_id,"
                + " account_hint, set_by) values ('u-admin1', 'demo-community', 'admins', 'PAYOUT_ACCOUNT_SET', 'x', 'x', 'x')"))
                .as("the application cannot write a notice itself").hasMessageContaining("permission denied");
        assertThatThrownBy(() -> db.dsl().execute("delete from member_notice where user_id = 'u-admin1'"))
                .as("nor hide one").hasMessageContaining("permission denied");
    }

    /**
     * Review of 129 (M2): details used before, made current again by the owner, kept their first created_by, so the notice
     * said the member had done it. Who made an account current is what the notice names; saving the current details again
     * writes nothing.
     */
    @Test
    void anAccountMadeCurrentAgainIsANoticeNamingWhoDidIt() {
        payouts.saveBeneficiary("demo-community", "admins", "u-admin1", "Ravi Kumar", "000111222444", "HDFC0000001", null, "u-admin1");
        payouts.saveBeneficiary("demo-community", "admins", "u-admin1", "Ravi Kumar", null, null, "ravi.k@okaxis", "u-admin1");
        var again = payouts.saveBeneficiary("demo-community", "admins", "u-admin1", "Ravi Kumar", "000111222444", "HDFC0000001", null,
                "owner-of-demo");
        payouts.saveBeneficiary("demo-community", "admins", "u-admin1", "Ravi Kumar", "000111222444", "HDFC0000001", null,
                "owner-of-demo"); // the same, current: nothing

        var notices = new MemberNotices(db.dsl()).of("u-admin1", null, 50);
        assertThat(notices).extracting(MemberNotices.Notice::setBy).containsExactly("owner-of-demo", "u-admin1", "u-admin1");
        assertThat(notices.get(0).kind()).isEqualTo("PAYOUT_ACCOUNT_CHANGED");
        assertThat(notices.get(0).beneficiaryId()).isEqualTo(again.beneficiaryId());
        assertThat(notices.get(0).payableFrom()).as("made current again: the cooling-off").isEqualTo(again.payableFrom()).isNotNull();
    }

    /**
     * s13 left undone: an owner could set a beneficiary for a user id that was not (yet) a member, so an account of its
     * choosing would be waiting when that user joined. Someone other than the member sets beneficiaries of current members
     * only; a user sets its own whenever (a former member may still be owed money).
     */
    @Test
    void onlyItsMemberSetsTheBeneficiaryOfAUserWhoIsNotAMember() {
        assertThatThrownBy(() -> payouts.saveBeneficiary("demo-community", "admins", "u-future", "Meera Das", "000111222555",
                "HDFC0000001", null, "owner-of-demo"))
                .isInstanceOfSatisfying(com.commdesk.ledger.LedgerException.class,
                        e -> assertThat(e.code()).isEqualTo(com.commdesk.ledger.LedgerException.Code.NOT_FOUND))
                .hasMessageContaining("not a member");
        assertThat(payouts.currentBeneficiary("demo-community", "admins", "u-future")).isEmpty();
        assertThat(payouts.saveBeneficiary("demo-community", "admins", "u-future", "Meera Das", "000111222555", "HDFC0000001", null,
                "u-future").userId()).isEqualTo("u-future");
    }

    /**
     * Review of 54b93a6 (HIGH): membership was read from community_member, which only the demo seed writes, so an owner
     * was refused every member of a community onboarded through the API. It is the split agreement in force now.
     */
    @Test
    void membershipIsTheSplitAgreementInForceNow() {
        new com.commdesk.ledger.community.CommunityOnboarding(db.dsl()).addAgreement("demo-community",
                java.time.Instant.now().minusSeconds(60), java.util.List.of(
                        new com.commdesk.fees.RoleSplit("owner", 6000, com.commdesk.fees.MemberSplitMode.EQUAL,
                                java.util.List.of(com.commdesk.fees.MemberShare.of("u-owner"))),
                        new com.commdesk.fees.RoleSplit("admins", 4000, com.commdesk.fees.MemberSplitMode.EQUAL,
                                java.util.List.of(com.commdesk.fees.MemberShare.of("u-new")))), "u-new joins, u-admin1 leaves", "owner-of-demo");

        assertThat(payouts.saveBeneficiary("demo-community", "admins", "u-new", "Meera Das", "000111222555", "HDFC0000001", null,
                "owner-of-demo").userId()).isEqualTo("u-new");
        assertThatThrownBy(() -> payouts.saveBeneficiary("demo-community", "admins", "u-admin1", "Ravi Kumar", "000111222444",
                "HDFC0000001", null, "owner-of-demo")).hasMessageContaining("not a member");
    }

    /** The database holds the application's own connection to the same rule (pair assertion with Beneficiaries). */
    @Test
    void theDatabaseGivesTheCoolingOffToABeneficiaryNotSetByItsMemberAndNeverShortensIt() throws Exception {
        db.dsl().execute("insert into payout_beneficiary (beneficiary_id, community_id, role, user_id, name, kind, vpa, created_by)"
                + " values ('bene_by_owner', 'demo-community', 'admins', 'u-admin1', 'Ravi Kumar', 'UPI', 'ravi@okhdfc', 'owner-of-demo')");
        assertThat(payouts.beneficiary("bene_by_owner").orElseThrow().payableFrom()).isAfter(java.time.OffsetDateTime.now().plusHours(23));
        db.dsl().execute("insert into payout_beneficiary (beneficiary_id, community_id, role, user_id, name, kind, vpa, created_by)"
                + " values ('bene_own', 'demo-community', 'owner', 'u-owner', 'Asha Rao', 'UPI', 'asha@okhdfc', 'u-owner')");
        assertThat(payouts.beneficiary("bene_own").orElseThrow().payableFrom()).isNull();
        // The application's connection may not write the column at all (126); the trigger refuses even the schema's owner.
        assertThatThrownBy(() -> db.dsl().execute("update payout_beneficiary set payable_from = null where beneficiary_id = 'bene_by_owner'"))
                .hasMessageContaining("permission denied");
        try (LedgerDatabase owner = TestDatabases.owner(db)) {
            assertThatThrownBy(() -> owner.dsl().execute(
                    "update payout_beneficiary set payable_from = null where beneficiary_id = 'bene_by_owner'"))
                    .hasMessageContaining("cooling-off");
            assertThatThrownBy(() -> owner.dsl().execute(
                    "update payout_beneficiary set payable_from = now() where beneficiary_id = 'bene_by_owner'"))
                    .hasMessageContaining("cooling-off");
        }
    }

    /**
     * Least privilege: the application never writes payable_from (the database's trigger sets it on every insert and
     * reactivation, since 3ae5754), so its connection may not either, not even to move it later (s13 left the grant).
     */
    @Test
    void theApplicationsConnectionCannotWritePayableFromAtAll() {
        db.dsl().execute("insert into payout_beneficiary (beneficiary_id, community_id, role, user_id, name, kind, vpa, created_by)"
                + " values ('bene_later', 'demo-community', 'admins', 'u-admin1', 'Ravi Kumar', 'UPI', 'ravi@okhdfc', 'owner-of-demo')");
        assertThatThrownBy(() -> db.dsl().execute(
                "update payout_beneficiary set payable_from = payable_from + interval '30 days' where beneficiary_id = 'bene_later'"))
                .hasMessageContaining("permission denied");
        // What the application does write still works, and the trigger still gives a reactivated account its cooling-off
        // anew (from the reactivation, so later than the insert's).
        var inserted = payouts.beneficiary("bene_later").orElseThrow().payableFrom();
        db.dsl().execute("update payout_beneficiary set superseded_at = now() where beneficiary_id = 'bene_later'");
        db.dsl().execute("update payout_beneficiary set superseded_at = null, activated_by = 'owner-of-demo' where beneficiary_id = 'bene_later'");
        assertThat(payouts.beneficiary("bene_later").orElseThrow().payableFrom()).isAfter(inserted);
    }

    /**
     * Who made an account current decides whether a settlement of it needs a second person's approval (Settlements), and
     * the Cashfree id is where its payouts go: the application's own connection may write activated_by only in the update
     * that makes the account current again, and may set the Cashfree id with its registration or clear it with it, never
     * turn it into another (left undone in s15). (What it is set to the database cannot check: for an account Cashfree
     * already has, it is the id Cashfree answers, issue 16 item 3.)
     */
    @Test
    void theApplicationsConnectionCannotRewriteWhoActivatedAnAccountNorWhereItsPayoutsGo() {
        db.dsl().execute("insert into payout_beneficiary (beneficiary_id, community_id, role, user_id, name, kind, vpa, created_by, activated_by)"
                + " values ('bene_a', 'demo-community', 'admins', 'u-admin1', 'Ravi Kumar', 'UPI', 'ravi@okhdfc', 'owner-of-demo', 'owner-of-demo')");
        db.dsl().execute("insert into payout_beneficiary (beneficiary_id, community_id, role, user_id, name, kind, vpa, created_by, activated_by)"
                + " values ('bene_b', 'demo-community', 'owner', 'u-owner', 'Asha Rao', 'UPI', 'asha@okhdfc', 'u-owner', 'u-owner')");
        assertThatThrownBy(() -> db.dsl().execute("update payout_beneficiary set activated_by = 'u-admin1' where beneficiary_id = 'bene_a'"))
                .hasMessageContaining("activated_by");
        // Registered under our own id, then an attempt to send its payouts to another member's Cashfree beneficiary.
        payouts.markRegistered("bene_a", "bene_a");
        payouts.markRegistered("bene_b", "bene_b");
        assertThatThrownBy(() -> db.dsl().execute("update payout_beneficiary set cashfree_beneficiary_id = 'bene_b' where beneficiary_id = 'bene_a'"))
                .hasMessageContaining("cashfree_beneficiary_id");
        // Cleared with its registration (Cashfree forgot it), it is set again only with a registration.
        payouts.markUnregistered("bene_a");
        assertThatThrownBy(() -> db.dsl().execute("update payout_beneficiary set cashfree_beneficiary_id = 'bene_a'"
                + " where beneficiary_id = 'bene_a'")).hasMessageContaining("registration");
        assertThatThrownBy(() -> db.dsl().execute("update payout_beneficiary set cashfree_beneficiary_id = null where beneficiary_id = 'bene_b'"))
                .as("cleared only with its registration").hasMessageContaining("cashfree_beneficiary_id");
        payouts.markRegistered("bene_a", "bene_a");
        assertThat(payouts.beneficiary("bene_a").orElseThrow().cashfreeBeneficiaryId()).isEqualTo("bene_a");
        assertThat(db.dsl().fetchValue("select activated_by from payout_beneficiary where beneficiary_id = 'bene_a'")).isEqualTo("owner-of-demo");

        // Made current again (the application's reactivation): activated_by names who did it, in the same update, and never
        // nobody (review s16, M2: a null read as "not made current by another", so a settlement skipped its approval).
        db.dsl().execute("update payout_beneficiary set superseded_at = now() where beneficiary_id = 'bene_a'");
        assertThatThrownBy(() -> db.dsl().execute("update payout_beneficiary set superseded_at = null, activated_by = null"
                + " where beneficiary_id = 'bene_a'")).hasMessageContaining("activated_by");
        db.dsl().execute("update payout_beneficiary set superseded_at = null, activated_by = 'u-admin1' where beneficiary_id = 'bene_a'");
        assertThat(db.dsl().fetchValue("select activated_by from payout_beneficiary where beneficiary_id = 'bene_a'")).isEqualTo("u-admin1");
    }

    /** The pair's other half: with the database's rule gone (its trigger disabled by the owner), the Java check refuses. */
    @Test
    void withoutTheDatabasesCoolingOffABeneficiaryAnotherSetIsRefusedAndNothingIsStored() throws Exception {
        try (LedgerDatabase owner = TestDatabases.owner(db)) {
            owner.dsl().execute("alter table payout_beneficiary disable trigger payout_beneficiary_cooling_off");
        }
        assertThatThrownBy(() -> payouts.saveBeneficiary("demo-community", "admins", "u-admin1", "Ravi Kumar", "000111222444",
                "HDFC0000001", null, "owner-of-demo")).isInstanceOf(IllegalStateException.class).hasMessageContaining("cooling-off");
        assertThat(payouts.currentBeneficiary("demo-community", "admins", "u-admin1")).isEmpty();
        // The member's own first one needs no cooling-off: stored as before.
        assertThat(payouts.saveBeneficiary("demo-community", "owner", "u-owner", "Asha Rao", "000111222333", "HDFC0000001", null,
                "u-owner").payableFrom()).isNull();
    }

    @Test
    void theDatabaseStillRefusesAMalformedVpa() {
        assertThatThrownBy(() -> db.dsl().execute("insert into payout_beneficiary (beneficiary_id, community_id, role, user_id, name,"
                + " kind, vpa, created_by) values ('bene_x', 'demo-community', 'owner', 'u-x', 'X Y', 'UPI', 'no-at-sign', 'ops')"))
                .hasMessageContaining("payout_beneficiary");
    }
}
