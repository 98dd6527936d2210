package com.commdesk.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.commdesk.ledger.RefundMismatchVotes.Outcome;
import com.commdesk.ledger.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Issue 10: finance's two-person resolution of a refund Cashfree holds with another amount or order (changeset 113). */
class RefundMismatchVotesTest {
    static LedgerDatabase db;
    static RefundMismatchVotes votes;
    static RefundApprovals approvals;

    @BeforeAll
    static void open() {
        db = TestDatabases.fresh();
        votes = new RefundMismatchVotes(new Ledger(db.dsl()));
        approvals = new RefundApprovals(new Ledger(db.dsl()));
        db.dsl().execute("insert into payment (payment_id, request_sha256, community_id, source_type, source_id, cashfree_order_id, "
                + "amount_paise, workflow_id) values ('mv-pay', repeat('0', 64), 'demo-community', 'EVENT', 'e', 'mv-pay_order', 1000000, 'w-mv')");
    }

    @AfterAll
    static void close() throws Exception {
        db.close();
    }

    /** A refund request by Support-1 (no approval needed): what a mismatched refund has in the books before its outcome. */
    static String refund(String id) {
        String sha = java.util.HexFormat.of().formatHex(id.getBytes(java.nio.charset.StandardCharsets.UTF_8)).concat("0".repeat(64)).substring(0, 64);
        approvals.accept(new RefundIntake.RefundRequestRecord(id, "mv-pay", sha, "REFUND", 250_000, "Support-1"), false, "demo-community",
                "customer cancelled", 500_000);
        return id;
    }

    @Test
    void oneVoteIsNotReadyASecondPersonsAgreeingVoteIsAndNamesBoth() {
        String id = refund("mv-1");
        var first = votes.vote(id, 1, Outcome.PAID, "fin-anita", "CF dashboard shows ours paid", "CF-REF-77");
        assertThat(first.ready()).as("a single vote does nothing").isFalse();
        assertThat(first.decidedBy()).isNull();
        assertThat(votes.vote(id, 1, Outcome.PAID, "FIN-ANITA", "again", "CF-REF-77").ready()).as("the same person again (any case)").isFalse();
        assertThat(votes.find(id).votes()).hasSize(1);

        var second = votes.vote(id, 1, Outcome.PAID, "fin-ravi", "checked with Cashfree support", "CF-REF-77");
        assertThat(second.ready()).isTrue();
        assertThat(second.outcome()).isEqualTo(Outcome.PAID);
        assertThat(second.decidedBy()).isEqualTo("fin-anita+fin-ravi");
        assertThat(second.votes()).extracting(RefundMismatchVotes.Vote::cashfreeReference).containsExactly("CF-REF-77", "CF-REF-77");
        // Idempotent: the second voter repeating is answered as it stands; a third person is refused.
        assertThat(votes.vote(id, 1, Outcome.PAID, "fin-ravi", "repeat", "CF-REF-77").ready()).isTrue();
        assertThat(votes.find(id).votes()).hasSize(2);
        assertThatThrownBy(() -> votes.vote(id, 1, Outcome.PAID, "fin-third", "late", "CF-REF-77"))
                .isInstanceOf(LedgerException.class).hasMessageContaining("already resolved");
        // Ready and not booked: what the API signals again if the first signal was lost; one vote alone is never listed
        // (a refund of this test with one vote: the check no longer depends on which other test ran first).
        String single = refund("mv-1-single");
        votes.vote(single, 1, Outcome.RELEASED, "fin-anita", "one vote only", "CF-REF-78");
        assertThat(votes.readyNotBooked(java.time.OffsetDateTime.now().minusDays(1), 100)).extracting(RefundMismatchVotes.Resolution::refundId)
                .contains(id).doesNotContain(single);
    }

    @Test
    void theRequesterNeverVotesInAnyLetterCaseNotEvenInSql() {
        String id = refund("mv-2");
        assertThatThrownBy(() -> votes.vote(id, 1, Outcome.RELEASED, "support-1", "mine", "CF-1"))
                .isInstanceOf(RefundMismatchVotes.FourEyes.class).hasMessageContaining("four eyes");
        assertThatThrownBy(() -> db.dsl().execute("insert into refund_mismatch_vote (refund_id, vote_no, outcome, voted_by, reason, "
                + "cashfree_reference) values ('mv-2', 1, 'RELEASED', 'SUPPORT-1', 'r', 'c')")).hasMessageContaining("requester");
        assertThat(votes.find(id).votes()).isEmpty();
    }

    @Test
    void aConflictingVoteIsRefusedAndTheFirstStands() {
        String id = refund("mv-3");
        votes.vote(id, 1, Outcome.RELEASED, "fin-anita", "CF shows no refund of ours", "CF-REF-9");
        assertThatThrownBy(() -> votes.vote(id, 1, Outcome.PAID, "fin-ravi", "I think it was paid", "CF-REF-9"))
                .isInstanceOf(LedgerException.class).hasMessageContaining("must agree");
        assertThatThrownBy(() -> votes.vote(id, 1, Outcome.PAID, "fin-anita", "changed my mind", "CF-REF-9"))
                .isInstanceOf(LedgerException.class).hasMessageContaining("already voted RELEASED");
        assertThat(votes.find(id).votes()).extracting(RefundMismatchVotes.Vote::outcome).containsExactly(Outcome.RELEASED);
        // The database holds it too: a disagreeing second vote, the same person twice, a change or a delete.
        assertThatThrownBy(() -> db.dsl().execute("insert into refund_mismatch_vote (refund_id, vote_no, outcome, voted_by, reason, "
                + "cashfree_reference) values ('mv-3', 2, 'PAID', 'fin-ravi', 'r', 'c')")).hasMessageContaining("must agree");
        assertThatThrownBy(() -> db.dsl().execute("insert into refund_mismatch_vote (refund_id, vote_no, outcome, voted_by, reason, "
                + "cashfree_reference) values ('mv-3', 2, 'RELEASED', 'FIN-ANITA', 'r', 'c')")).hasMessageContaining("already voted");
        assertThatThrownBy(() -> db.dsl().execute("update refund_mismatch_vote set outcome = 'PAID' where refund_id = 'mv-3'"))
                .hasMessageContaining("permission denied");
        assertThatThrownBy(() -> db.dsl().execute("delete from refund_mismatch_vote where refund_id = 'mv-3'"))
                .hasMessageContaining("permission denied");
    }

    @Test
    void anUnknownRefundOrAVoteWithoutReasonOrReferenceIsRefused() {
        assertThatThrownBy(() -> votes.vote("mv-none", 1, Outcome.PAID, "fin-anita", "r", "c"))
                .isInstanceOf(LedgerException.class).extracting(e -> ((LedgerException) e).code()).isEqualTo(LedgerException.Code.NOT_FOUND);
        String id = refund("mv-4");
        assertThatThrownBy(() -> votes.vote(id, 1, Outcome.PAID, "fin-anita", " ", "c")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> votes.vote(id, 1, Outcome.PAID, "fin-anita", "r", null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSessionsTemporaryTablesCannotShadowWhatTheVoteGuardReads() {
        // Review s7 round 2, M1: the guard read refund_request and refund_mismatch_vote by the session's search_path, where
        // a temporary table comes first (the runtime role may create them): a fake requester let the requester vote.
        String id = refund("mv-5");
        assertThatThrownBy(() -> db.dsl().transaction(cfg -> {
            var tx = cfg.dsl();
            tx.execute("create temp table refund_request (refund_id text, requested_by text) on commit drop");
            tx.execute("insert into refund_request values ('mv-5', 'someone-else')");
            tx.execute("insert into refund_mismatch_vote (refund_id, vote_no, outcome, voted_by, reason, cashfree_reference)"
                    + " values ('mv-5', 1, 'PAID', 'support-1', 'r', 'c')");
        })).hasMessageContaining("requester");
        assertThat(votes.find(id).votes()).isEmpty();
    }

    // ---- review s7 round 2 M2: withdrawal, and votes tied to one hold (round) -----------------------------------------

    @Test
    void aVoterWithdrawsTheirOwnMistakenVoteThenTheOtherOutcomeCanBeResolvedAndAReadyOneIsNeverWithdrawn() {
        String id = refund("mv-6");
        votes.vote(id, 1, Outcome.PAID, "fin-anita", "misread the dashboard", "CF-REF-60");
        // Before withdrawals this first vote blocked RELEASED for ever (409 for everyone, the voter included).
        assertThatThrownBy(() -> votes.withdraw(id, "fin-ravi", "not mine to withdraw"))
                .isInstanceOf(LedgerException.class).hasMessageContaining("no vote of fin-ravi");
        var withdrawn = votes.withdraw(id, "FIN-ANITA", "I misread the dashboard: ours was not refunded");
        assertThat(withdrawn.votes()).as("a withdrawn vote no longer counts").isEmpty();
        assertThat(votes.withdraw(id, "fin-anita", "again").votes()).as("a repeated withdrawal is answered as it stands").isEmpty();

        votes.vote(id, 1, Outcome.RELEASED, "fin-ravi", "CF shows no refund of ours", "CF-REF-60");
        var ready = votes.vote(id, 1, Outcome.RELEASED, "fin-anita", "agreed after a second look", "CF-REF-60");
        assertThat(ready.ready()).isTrue();
        assertThat(ready.outcome()).isEqualTo(Outcome.RELEASED);
        assertThat(ready.decidedBy()).isEqualTo("fin-ravi+fin-anita");
        // Once two agreeing votes made it ready (the workflow is told), neither may withdraw: in Java and in SQL.
        assertThatThrownBy(() -> votes.withdraw(id, "fin-ravi", "second thoughts"))
                .isInstanceOf(LedgerException.class).hasMessageContaining("ready");
        assertThatThrownBy(() -> db.dsl().execute("insert into refund_mismatch_vote_withdrawal (refund_id, vote_no, withdrawn_by, reason) "
                + "values ('mv-6', 2, 'fin-ravi', 'r')")).hasMessageContaining("ready");
        // Every vote and the withdrawal are kept: the audit of who said what.
        assertThat(db.dsl().fetchCount(db.dsl().selectFrom(com.commdesk.ledger.jooq.Tables.REFUND_MISMATCH_VOTE)
                .where(com.commdesk.ledger.jooq.Tables.REFUND_MISMATCH_VOTE.REFUND_ID.eq(id)))).isEqualTo(3);
        assertThat(db.dsl().fetchValue("select withdrawn_by || ':' || vote_no from refund_mismatch_vote_withdrawal where refund_id = 'mv-6'"))
                .isEqualTo("FIN-ANITA:1");
        assertThatThrownBy(() -> db.dsl().execute("delete from refund_mismatch_vote_withdrawal where refund_id = 'mv-6'"))
                .hasMessageContaining("permission denied");
        assertThatThrownBy(() -> db.dsl().execute("update refund_mismatch_vote_withdrawal set reason = 'x' where refund_id = 'mv-6'"))
                .hasMessageContaining("permission denied");
    }

    @Test
    void onlyTheVoterWithdrawsTheirVoteNotEvenInSql() {
        String id = refund("mv-7");
        votes.vote(id, 1, Outcome.PAID, "fin-anita", "dashboard", "CF-REF-70");
        assertThatThrownBy(() -> db.dsl().execute("insert into refund_mismatch_vote_withdrawal (refund_id, vote_no, withdrawn_by, reason) "
                + "values ('mv-7', 1, 'fin-ravi', 'r')")).hasMessageContaining("only the voter");
        assertThat(votes.find(id).votes()).hasSize(1);
    }

    @Test
    void votesCountOnlyInTheirRoundAndAReadyResolutionOfAnEarlierHoldIsNeitherListedNorCounted() {
        // The workflow held the refund (round 1), two approvers agreed, the signal was dropped (an operator's RETRY had the
        // workflow asking Cashfree again) and the refund is held again: round 2. The round-1 votes must not resolve it.
        String id = refund("mv-8");
        votes.vote(id, 1, Outcome.PAID, "fin-anita", "dashboard", "CF-REF-80");
        var round1 = votes.vote(id, 1, Outcome.PAID, "fin-ravi", "dashboard", "CF-REF-80");
        assertThat(round1.ready()).isTrue();
        assertThat(round1.round()).isEqualTo(1);
        var since = java.time.OffsetDateTime.now().minusDays(1);
        assertThat(votes.readyNotBooked(since, 100)).filteredOn(r -> r.refundId().equals(id))
                .extracting(RefundMismatchVotes.Resolution::round).containsExactly(1);

        var round2 = votes.vote(id, 2, Outcome.RELEASED, "fin-anita", "the new hold: CF shows another refund now", "CF-REF-81");
        assertThat(round2.round()).isEqualTo(2);
        assertThat(round2.ready()).as("round 1's votes do not count in round 2").isFalse();
        assertThat(round2.votes()).extracting(RefundMismatchVotes.Vote::outcome).containsExactly(Outcome.RELEASED);
        assertThat(votes.find(id).round()).isEqualTo(2);
        assertThat(votes.readyNotBooked(since, 100)).extracting(RefundMismatchVotes.Resolution::refundId)
                .as("round 1's ready resolution is not re-sent once round 2 has votes").doesNotContain(id);
        assertThatThrownBy(() -> votes.vote(id, 1, Outcome.PAID, "fin-third", "late", "CF-REF-80"))
                .isInstanceOf(LedgerException.class).hasMessageContaining("round 1 is over");
        assertThatThrownBy(() -> db.dsl().execute("insert into refund_mismatch_vote (refund_id, vote_no, outcome, voted_by, reason, "
                + "cashfree_reference, hold_round) values ('mv-8', 4, 'PAID', 'fin-third', 'r', 'c', 1)")).hasMessageContaining("round 1 is over");

        var ready2 = votes.vote(id, 2, Outcome.RELEASED, "fin-ravi", "agreed", "CF-REF-81");
        assertThat(ready2.ready()).isTrue();
        assertThat(ready2.decidedBy()).isEqualTo("fin-anita+fin-ravi");
        assertThat(votes.readyNotBooked(since, 100)).filteredOn(r -> r.refundId().equals(id))
                .extracting(RefundMismatchVotes.Resolution::round, RefundMismatchVotes.Resolution::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(2, Outcome.RELEASED));
    }

    @Test
    void votesRecordedBeforeRoundsAreVotesOfRoundOneOnly() {
        String id = refund("mv-9");
        // As 113 recorded them: no round.
        db.dsl().execute("insert into refund_mismatch_vote (refund_id, vote_no, outcome, voted_by, reason, cashfree_reference) "
                + "values ('mv-9', 1, 'PAID', 'fin-anita', 'before rounds', 'CF-90')");
        db.dsl().execute("insert into refund_mismatch_vote (refund_id, vote_no, outcome, voted_by, reason, cashfree_reference) "
                + "values ('mv-9', 2, 'PAID', 'fin-ravi', 'before rounds', 'CF-90')");
        var r = votes.find(id);
        assertThat(r.round()).isEqualTo(1);
        assertThat(r.ready()).isTrue();
        assertThat(votes.readyNotBooked(java.time.OffsetDateTime.now().minusDays(1), 100)).filteredOn(x -> x.refundId().equals(id))
                .extracting(RefundMismatchVotes.Resolution::round).containsExactly(1);
        assertThat(votes.vote(id, 2, Outcome.RELEASED, "fin-anita", "held again", "CF-91").ready()).isFalse();
        assertThat(votes.readyNotBooked(java.time.OffsetDateTime.now().minusDays(1), 100)).extracting(RefundMismatchVotes.Resolution::refundId)
                .doesNotContain(id);
    }

    @Test
    void aSessionsTemporaryTablesCannotShadowWhatTheWithdrawalGuardReads() {
        // As for the vote guard (review s7 M1): a temporary refund_mismatch_vote naming someone else as the voter must not let
        // them withdraw another approver's vote (changeset 114 pins the guard's search_path).
        String id = refund("mv-10");
        votes.vote(id, 1, Outcome.PAID, "fin-anita", "dashboard", "CF-100");
        assertThatThrownBy(() -> db.dsl().transaction(cfg -> {
            var tx = cfg.dsl();
            tx.execute("create temp table refund_mismatch_vote (refund_id text, vote_no smallint, voted_by text, hold_round integer) on commit drop");
            tx.execute("insert into refund_mismatch_vote values ('mv-10', 1, 'fin-ravi', 1)");
            tx.execute("insert into refund_mismatch_vote_withdrawal (refund_id, vote_no, withdrawn_by, reason) values ('mv-10', 1, 'fin-ravi', 'r')");
        })).hasMessageContaining("only the voter");
        assertThat(votes.find(id).votes()).hasSize(1);
    }
}
