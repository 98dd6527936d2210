package com.commdesk.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.ledger.payout.LateAnswers;
import com.commdesk.ledger.payout.PayoutLateSweep;
import com.commdesk.ledger.payout.PayoutRepository;
import com.commdesk.ledger.payout.Settlements;
import com.commdesk.ledger.payout.Payout;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The late-answer sweep ({@link PayoutLateSweep}) over legacy data (last review M3, changeset 104), in its listing mode,
 * and its paging and its events (issue 10).
 */
class PayoutLateSweepTest extends LedgerFixture {
    PayoutRepository payouts;
    String id;
    long owner;

    long wallet(String column) {
        return num("select " + column + " from member_wallet where community_id = 'demo-community' and user_id = 'u-owner'");
    }

    @BeforeEach
    void aLockedPayout() {
        payouts = new PayoutRepository(dsl);
        id = lockedPayout("stl_t", "p1");
        owner = wallet("locked_paise");
    }

    /** The owner is paid ({@code payment}), holds released, a settlement opened: its one payout, locked and sent. */
    String lockedPayout(String settlementId, String payment) {
        pay(payment);
        holds.releaseDueHolds(OffsetDateTime.now().plusDays(400), 100);
        if (payouts.currentBeneficiary("demo-community", "owner", "u-owner").isEmpty()) {
            payouts.saveBeneficiary("demo-community", "owner", "u-owner", "Asha Rao", "000111222333", "HDFC0000001", null, "u-owner");
        }
        payouts.open(settlementId, "demo-community", "MANUAL", OffsetDateTime.now(), "alice", Long.MAX_VALUE);
        String payoutId = Settlements.payoutId(settlementId, "owner", "u-owner");
        payouts.lock(payoutId);
        payouts.sendPermit(payoutId);
        return payoutId;
    }

    PayoutLateSweep sweeper() {
        return new PayoutLateSweep(new LateAnswers(dsl), payoutId -> false, PayoutLateSweep.Mode.POST);
    }

    // ---- M3: changeset 104 over legacy rows ------------------------------------------------------

    /**
     * As code from before changeset 102 left it: finance confirmed it paid (the workflow marked it paid on finance's word,
     * written by 101's backfill for older rows), Cashfree's record says FAILED, and cashfree_success_at is null.
     */
    void legacyPaidOnFinancesWordWithAFailedOnRecord() {
        payouts.markNeedsAttention(id, "unknown for a day");
        payouts.resolve(id, "PAID", "alice", "the bank statement shows it");
        payouts.markPaid(id, true);
        payouts.recordCashfreeAnswer(id, "FAILED", "INVALID_ACCOUNT_FAIL");
        assertThat(num("select count(*) from payout where payout_id = ? and paid_on_finance_word and cashfree_success_at is null", id))
                .isEqualTo(1);
    }

    /** Runs changeset 104 as Liquibase does (as the owner), on rows left by older code. */
    void runChangeset104() throws Exception {
        String sql;
        try (InputStream in = getClass().getResourceAsStream("/db/changelog/104-payout-cashfree-success-every-evidence.sql")) {
            assertThat(in).as("changeset 104 on the classpath").isNotNull();
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("--"))
                    .collect(Collectors.joining("\n"));
        }
        asOwner(sql);
    }

    void event(String status, String actor, String detail) throws Exception {
        asOwner("insert into payout_event (payout_id, status, actor, detail) values (?, ?, ?, ?)", id, status, actor, detail);
    }

    /**
     * Every evidence the code writes (or older code wrote) of Cashfree's SUCCESS, each as its writer formats it; the
     * comment names the writer. Each is the only evidence on its payout.
     */
    static Stream<Arguments> evidenceOfSuccess() {
        return Stream.of(
                Arguments.of("bank_utr stored by a poll (recordCashfree -> bankUtr), no event", "update payout set bank_utr = 'UTR0001' where payout_id = ?"),
                Arguments.of("UTR event (bankUtr)", "event:UTR|cashfree|bank reference UTR0001"),
                Arguments.of("UTR_MISMATCH event (bankUtr)", "event:UTR_MISMATCH|cashfree|bank reference UTR0002 reported; UTR0001 kept"),
                Arguments.of("UTR_REFUSED event (bankUtr)", "event:UTR_REFUSED|cashfree|malformed bank reference not stored: UTR?0001"),
                Arguments.of("SUCCESS webhook (PayoutWebhookController)", "event:WEBHOOK|cashfree|TRANSFER_SUCCESS SUCCESS COMPLETED"),
                Arguments.of("SUCCESS webhook without a code", "event:WEBHOOK|cashfree|TRANSFER_SUCCESS SUCCESS null"),
                Arguments.of("REVERSED webhook (PayoutWebhookController)", "event:WEBHOOK|cashfree|TRANSFER_REVERSED REVERSED ACCOUNT_CLOSED"),
                Arguments.of("late SUCCESS refused by an older controller", "event:LATE_UNPOSTED|cashfree|TRANSFER_SUCCESS SUCCESS: payout is PAID: its workflow decides"),
                Arguments.of("late SUCCESS webhook failing in lateAnswer", "event:LATE_UNPOSTED|cashfree|TRANSFER_SUCCESS SUCCESS COMPLETED: INSUFFICIENT_FUNDS"),
                Arguments.of("late SUCCESS posted (latePaid)", "event:PAID|cashfree|late SUCCESS: TRANSFER_SUCCESS COMPLETED"),
                Arguments.of("late SUCCESS not posted (latePaid)", "event:LATE_UNPOSTED|cashfree|late SUCCESS (TRANSFER_SUCCESS SUCCESS COMPLETED) not posted:"
                        + " Cashfree's record of the transfer says FAILED INVALID_ACCOUNT_FAIL"),
                Arguments.of("late SUCCESS held for finance (holdForFinance)", "event:NEEDS_ATTENTION|cashfree|late SUCCESS (TRANSFER_SUCCESS SUCCESS"
                        + " COMPLETED) contradicts Cashfree's FAILED INVALID_ACCOUNT_FAIL; the money is locked again until finance resolves it"),
                Arguments.of("the workflow's SUCCESS after release (successAfterRelease)", "event:LATE_UNPOSTED|cashfree|Cashfree SUCCESS COMPLETED after"
                        + " the payout ended FAILED (Cashfree FAILED INVALID_ACCOUNT_FAIL), contradicting Cashfree's FAILED: not posted"),
                Arguments.of("the workflow's contradiction for finance (watchForReversal)", "event:LATE_UNPOSTED|cashfree|confirmed paid by finance and"
                        + " Cashfree said SUCCESS; its later FAILED BANK_OFFLINE contradicts it: nothing moved"),
                Arguments.of("a refusal contradicting the record (lateAnswer)", "event:LATE_UNPOSTED|cashfree|TRANSFER_FAILED FAILED INVALID_ACCOUNT_FAIL:"
                        + " contradicts Cashfree's SUCCESS; nothing moved"),
                Arguments.of("the sweep's REVERSED it could not post", "event:LATE_UNPOSTED|cashfree|sweep: Cashfree's recorded REVERSED was never posted:"
                        + " payout was never paid; nothing to reverse"),
                Arguments.of("the workflow's reversal (watchForReversal)", "event:REVERSED||reversed after success: ACCOUNT_CLOSED"),
                Arguments.of("a late REVERSED posted (lateAnswer)", "event:REVERSED||late REVERSED ACCOUNT_CLOSED"),
                Arguments.of("a polled REVERSED ending the workflow (finish)", "event:FAILED||Cashfree REVERSED ACCOUNT_CLOSED"),
                Arguments.of("a recorded payouts webhook (webhook_event)", "insert into webhook_event (event_id, event_type, order_id, payload)"
                        + " values ('evt-m3', 'TRANSFER_SUCCESS', ?, '{\"type\":\"TRANSFER_SUCCESS\",\"data\":{\"transfer_id\":\"ID\",\"status\":\"SUCCESS\"}}')"));
    }

    void leave(String evidence) throws Exception {
        if (evidence.startsWith("event:")) {
            String[] f = evidence.substring("event:".length()).split("\\|", 3);
            event(f[0], f[1].isEmpty() ? null : f[1], f[2]);
        } else {
            asOwner(evidence.replace("ID", id), id);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("evidenceOfSuccess")
    void aLegacyFinanceWordPayoutWithAFailedOnRecordIsNotReturnedWhenCashfreeSaidSuccess(String what, String evidence) throws Exception {
        legacyPaidOnFinancesWordWithAFailedOnRecord();
        leave(evidence);
        runChangeset104();
        assertThat(num("select count(*) from payout where payout_id = ? and cashfree_success_at is not null", id))
                .as("changeset 104 reads Cashfree's SUCCESS from: " + what).isEqualTo(1);
        var swept = sweeper().sweep(100);
        assertThat(swept.found()).as("Cashfree said SUCCESS (" + what + "): its FAILED on record is not a return").isZero();
        assertThat(wallet("paid_out_paise")).as("stays paid").isEqualTo(owner);
        assertThat(wallet("available_paise")).as("never spendable again").isZero();
    }

    @Test
    void aLegacyPollSuccessAfterAFailedKeepsItsBankReferenceAndIsNotReturned() throws Exception {
        // Driven through the code: the poll after Cashfree's FAILED says SUCCESS with a UTR (the record keeps FAILED).
        legacyPaidOnFinancesWordWithAFailedOnRecord();
        payouts.recordCashfree(id, "cf-1", "SUCCESS", "COMPLETED", "UTR0001");
        asOwner("update payout set cashfree_success_at = null where payout_id = ?", id); // the column did not exist then
        assertThat(payouts.payout(id).orElseThrow().cashfreeStatus()).isEqualTo("FAILED");
        runChangeset104();
        assertThat(sweeper().sweep(100).found()).isZero();
        assertThat(wallet("paid_out_paise")).isEqualTo(owner);
    }

    @Test
    void aLegacyFinanceWordPayoutWithOnlyAFailedIsStillReturned() throws Exception {
        // The backfill is not a blanket: Cashfree refused it and never said SUCCESS, so the money never left.
        legacyPaidOnFinancesWordWithAFailedOnRecord();
        event("WEBHOOK", "cashfree", "TRANSFER_FAILED FAILED INVALID_ACCOUNT_FAIL");
        event("LATE_UNPOSTED", "cashfree", "TRANSFER_FAILED FAILED INVALID_ACCOUNT_FAIL: contradicts Cashfree's FAILED; nothing moved");
        event("UTR_REFUSED", "ops", "bank reference typed by a person"); // not Cashfree's
        runChangeset104();
        assertThat(num("select count(*) from payout where payout_id = ? and cashfree_success_at is null", id)).isEqualTo(1);
        var swept = sweeper().sweep(100);
        assertThat(swept.found()).isEqualTo(1);
        assertThat(swept.posted()).isEqualTo(1);
        assertThat(wallet("paid_out_paise")).isZero();
    }

    @Test
    void changeset104KeepsADateTheCodeRecorded() throws Exception {
        payouts.recordCashfree(id, "cf-1", "SUCCESS", "COMPLETED", "UTR0001");
        Object before = dsl.fetchValue("select cashfree_success_at from payout where payout_id = ?", id);
        event("WEBHOOK", "cashfree", "TRANSFER_SUCCESS SUCCESS COMPLETED");
        runChangeset104();
        assertThat(dsl.fetchValue("select cashfree_success_at from payout where payout_id = ?", id)).isEqualTo(before);
    }

    // ---- the sweep's events and its paging (issue 10) ---------------------------------------------

    /** Cashfree said SUCCESS, the payout was paid, Cashfree's REVERSED was recorded and no workflow posted it. */
    void anUnpostedReversal(String payoutId) {
        payouts.recordCashfreeAnswer(payoutId, "SUCCESS", "COMPLETED");
        payouts.markPaid(payoutId);
        payouts.recordCashfreeAnswer(payoutId, "REVERSED", "ACCOUNT_CLOSED");
    }

    long lateUnposted(String payoutId) {
        return num("select count(*) from payout_event where payout_id = ? and status = 'LATE_UNPOSTED'", payoutId);
    }

    @Test
    void aCandidateTheSweepCannotPostIsRecordedForFinanceOncePerReason() throws Exception {
        anUnpostedReversal(id);
        // Paid before its journal was written on the payout (simulated: the owner's damage): the reversal cannot be posted.
        asOwner("update payout set paid_journal_id = null where payout_id = ?", id);
        var sweep = new PayoutLateSweep(new LateAnswers(dsl), payoutId -> false, PayoutLateSweep.Mode.POST);
        for (int pass = 1; pass <= 3; pass++) {
            assertThat(sweep.sweep(100)).as("pass " + pass).isEqualTo(new PayoutLateSweep.Result(1, 0, 0, 0, 1));
        }
        assertThat(lateUnposted(id)).as("three passes, one reason: one LATE_UNPOSTED").isEqualTo(1);
        assertThat(wallet("paid_out_paise")).isEqualTo(owner);
    }

    @Test
    void aStaleRefusalAfterAnUnpostedReversalNeitherReplacesItNorHidesItFromTheSweep() {
        anUnpostedReversal(id);
        // A FAILED for the same transfer, redelivered or out of order, after the workflow ended (review M-1).
        payouts.lateAnswer(id, "FAILED", "INVALID_ACCOUNT_FAIL", "TRANSFER_FAILED FAILED INVALID_ACCOUNT_FAIL");
        payouts.recordCashfree(id, null, "REJECTED", "REJECTED"); // and a poll that raced it
        assertThat(payouts.payout(id).orElseThrow().cashfreeStatus()).as("REVERSED is later news than FAILED").isEqualTo("REVERSED");
        assertThat(payouts.unpostedReturns(100)).extracting(Payout::payoutId).containsExactly(id);
        assertThat(sweeper().sweep(100)).isEqualTo(new PayoutLateSweep.Result(1, 0, 0, 1, 0));
        assertThat(payouts.payout(id).orElseThrow().status()).isEqualTo("REVERSED");
        assertThat(num("select count(*) from journal where idempotency_key = ?", "payout_reversed:payout:" + id)).isEqualTo(1);
    }

    @Test
    void aRefusalMayStillBeFollowedByAReversal() {
        payouts.recordCashfreeAnswer(id, "FAILED", "BANK_OFFLINE");
        payouts.recordCashfreeAnswer(id, "REVERSED", "ACCOUNT_CLOSED");
        assertThat(payouts.payout(id).orElseThrow().cashfreeStatus()).isEqualTo("REVERSED");
    }

    @Test
    void theSweepPagesPastCandidatesWhoseWorkflowStillRuns() {
        String second = lockedPayout("stl_2", "p2");
        String third = lockedPayout("stl_3", "p3");
        String ended = lockedPayout("stl_4", "p4");
        var running = java.util.Set.of(id, second, third);
        for (String p : java.util.List.of(id, second, third, ended)) anUnpostedReversal(p); // oldest change first: the running three
        var swept = new PayoutLateSweep(new LateAnswers(dsl), running::contains, PayoutLateSweep.Mode.POST).sweep(2);
        assertThat(swept).as("pages of 2: three running candidates do not hide the ended one")
                .isEqualTo(new PayoutLateSweep.Result(4, 3, 0, 1, 0));
        assertThat(payouts.payout(ended).orElseThrow().status()).isEqualTo("REVERSED");
        assertThat(running).allSatisfy(p -> assertThat(payouts.payout(p).orElseThrow().status()).isEqualTo("PAID"));
    }

    @Test
    void theListingModeMovesNothingAndWritesNothing() {
        anUnpostedReversal(id);
        long events = num("select count(*) from payout_event where payout_id = ?", id);
        var sweep = new PayoutLateSweep(new LateAnswers(dsl), payoutId -> false, PayoutLateSweep.Mode.LIST);
        assertThat(sweep.sweep(100)).isEqualTo(new PayoutLateSweep.Result(1, 0, 1, 0, 0));
        assertThat(sweep.sweep(100).listed()).as("still a candidate on the next pass").isEqualTo(1);
        assertThat(payouts.payout(id).orElseThrow().status()).isEqualTo("PAID");
        assertThat(wallet("paid_out_paise")).isEqualTo(owner);
        assertThat(num("select count(*) from payout_event where payout_id = ?", id)).isEqualTo(events);
        assertThat(payouts.unpostedReturns(100)).extracting(Payout::payoutId).containsExactly(id);
    }

    @Test
    void theListingModeAsksNoWorkflowAboutItsCandidates() {
        // Left as found in s6: every 10 minutes list mode described each candidate's workflow at Temporal (and logged a line
        // for each) although it posts nothing.
        anUnpostedReversal(id);
        var asked = new java.util.concurrent.atomic.AtomicInteger();
        var sweep = new PayoutLateSweep(new LateAnswers(dsl), payoutId -> { asked.incrementAndGet(); return false; }, PayoutLateSweep.Mode.LIST);
        assertThat(sweep.sweep(100)).isEqualTo(new PayoutLateSweep.Result(1, 0, 1, 0, 0));
        assertThat(asked).as("no workflow described in list mode").hasValue(0);
    }

    @Test
    void theModeIsReadFromItsSettingAndAnUnknownOneIsRefused() {
        assertThat(PayoutLateSweep.Mode.of("list")).isEqualTo(PayoutLateSweep.Mode.LIST);
        assertThat(PayoutLateSweep.Mode.of(" POST ")).isEqualTo(PayoutLateSweep.Mode.POST);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PayoutLateSweep.Mode.of("yes"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("list or post");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PayoutLateSweep.Mode.of(null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
