package com.commdesk.activities.payment;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.fees.FeeSchedules;
import com.commdesk.fees.MemberShare;
import com.commdesk.fees.MemberSplitMode;
import com.commdesk.fees.RoleSplit;
import com.commdesk.fees.rules.Condition;
import com.commdesk.ledger.CommunityConfig;
import com.commdesk.ledger.CommunityRepository;
import com.commdesk.ledger.LedgerDatabase;
import com.commdesk.ledger.rules.CommissionRuleRepository;
import com.commdesk.ledger.rules.CommissionRuleRepository.Draft;
import com.commdesk.ledger.testing.TestDatabases;
import com.commdesk.workflows.payment.PaymentRequest;
import com.commdesk.workflows.payment.VerifiedPayment;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The stored rules choose the schedule and roles of a payment; no match falls back to the preset. */
class RuleBasedFeePolicyTest {
    static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    static LedgerDatabase db;
    static CommissionRuleRepository rules;
    static CommunityConfig demo;
    static RuleBasedFeePolicy policy;

    @BeforeAll
    static void setUp() {
        db = TestDatabases.fresh();
        rules = new CommissionRuleRepository(db.dsl());
        demo = new CommunityRepository(db.dsl()).find("demo-community").orElseThrow();
        policy = new RuleBasedFeePolicy(rules, FeeSchedules.recommendedDefault(), Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC));
        List<RoleSplit> roles = List.of(new RoleSplit("sponsor_team", 10000, MemberSplitMode.EQUAL, List.of(MemberShare.of("u-s1"))));
        rules.create("sponsor-12", new Draft(10, T0, T0.plusSeconds(3600),
                Condition.and(Condition.eq("sourceType", "SPONSOR"), Condition.eq("communityTier", "standard"),
                        Condition.eq("metadata.campaign", "launch")),
                FeeSchedules.seedExamples(), roles), "test");
    }

    @AfterAll
    static void tearDown() throws Exception {
        db.close();
    }

    static PaymentRequest request(String source, Map<String, String> metadata) {
        return new PaymentRequest("p1", "demo-community", source, "s1", "o1", 100_000, metadata);
    }

    static VerifiedPayment paid(Instant at) {
        return new VerifiedPayment("o1", "cf1", 100_000, "INR", "CARD", at == null ? null : at.toEpochMilli());
    }

    @Test
    void aMatchingRuleGivesItsScheduleRolesIdAndVersionAndIsMarkedUsed() {
        FeePolicy.Choice c = policy.choose(request("SPONSOR", Map.of("campaign", "LAUNCH")), paid(T0.plusSeconds(10)), demo);

        assertThat(c.ruleId()).isEqualTo("sponsor-12");
        assertThat(c.ruleVersion()).isEqualTo(1);
        assertThat(c.schedule().name()).isEqualTo(FeeSchedules.SEED_EXAMPLES);
        assertThat(c.roles()).extracting(RoleSplit::role).containsExactly("sponsor_team");
        assertThat(rules.history("sponsor-12").orElseThrow().versions().get(0).usedAt()).isNotNull();
    }

    @Test
    void noMatchFallsBackToThePresetWithoutARule() {
        FeePolicy.Choice c = policy.choose(request("EVENT", Map.of("campaign", "launch")), paid(T0.plusSeconds(10)), demo);

        assertThat(c.ruleId()).isNull();
        assertThat(c.ruleVersion()).isNull();
        assertThat(c.roles()).isNull();
        assertThat(c.schedule().name()).isEqualTo(FeeSchedules.RECOMMENDED_DEFAULT);
    }

    @Test
    void cashfreesPaymentTimeDecidesWhichRulesAreEffectiveElseTheClock() {
        var req = request("SPONSOR", Map.of("campaign", "launch"));
        assertThat(policy.choose(req, paid(T0.minusSeconds(1)), demo).ruleId()).isNull();
        assertThat(policy.choose(req, paid(T0.plusSeconds(3600)), demo).ruleId()).isNull();
        assertThat(policy.choose(req, paid(null), demo).ruleId()).isEqualTo("sponsor-12"); // clock: T0 + 60 s
    }
}
