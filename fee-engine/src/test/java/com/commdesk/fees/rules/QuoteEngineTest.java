package com.commdesk.fees.rules;

import static com.commdesk.fees.rules.Condition.always;
import static com.commdesk.fees.rules.Condition.eq;
import static com.commdesk.fees.rules.Rules.T1;
import static com.commdesk.fees.rules.Rules.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.commdesk.fees.FeeBreakdown;
import com.commdesk.fees.FeeEngine;
import com.commdesk.fees.FeeSchedules;
import com.commdesk.fees.FeeValidationException;
import com.commdesk.fees.MemberShare;
import com.commdesk.fees.MemberSplitMode;
import com.commdesk.fees.PaymentFacts;
import com.commdesk.fees.RoleAllocation;
import com.commdesk.fees.RoleSplit;
import com.commdesk.fees.SplitEngine;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QuoteEngineTest {

    static final List<RoleSplit> SPEC_ROLES = List.of(
            new RoleSplit("owner", 5000, MemberSplitMode.EQUAL, List.of(MemberShare.of("u-owner"))),
            new RoleSplit("admins", 2000, MemberSplitMode.EQUAL, List.of(MemberShare.of("a1"), MemberShare.of("a2"))),
            new RoleSplit("moderators", 1000, MemberSplitMode.EQUAL, List.of(MemberShare.of("u-mod"))),
            new RoleSplit("event team", 2000, MemberSplitMode.EQUAL, List.of(MemberShare.of("u-event"))));

    static final PaymentFacts EX1 = new PaymentFacts(1_000_000, "EVENT", "CARD", "KA", "KA");

    static PaymentAttributes attrs(PaymentFacts f, String community) {
        return PaymentAttributes.of(f, community, "gold", LocalDate.of(2026, 11, 14), Map.of());
    }

    /* Example 1 through the rule engine: the seed rule for comm-42 gives net 720,700 and the spec's role amounts. */
    @Test
    void example1ThroughARule() {
        RuleSet rs = RuleSet.of(List.of(
                rule("default", 0, always()),
                Rules.withSchedule(rule("seed", 10, eq("communityId", "comm-42")), FeeSchedules.seedExamples())));
        FeeQuote q = QuoteEngine.quote(EX1, attrs(EX1, "comm-42"), rs, T1, SPEC_ROLES);
        assertThat(q.ruleId()).isEqualTo("seed");
        assertThat(q.ruleVersion()).isEqualTo(1);
        assertThat(q.breakdown().netPaise()).isEqualTo(720_700);
        assertThat(q.breakdown().gstHeads().cgstPaise()).isEqualTo(90_000); // KA → KA: intra-state
        assertThat(q.shares()).extracting(RoleAllocation::amountPaise).containsExactly(360_350L, 144_140L, 72_070L, 144_140L);
        assertThat(q.shares().get(1).members()).extracting(m -> m.amountPaise()).containsExactly(72_070L, 72_070L);

        FeeQuote other = QuoteEngine.quote(EX1, attrs(EX1, "comm-7"), rs, T1, SPEC_ROLES);
        assertThat(other.ruleId()).isEqualTo("default");
        assertThat(other.breakdown()).isEqualTo(FeeEngine.calculate(EX1, FeeSchedules.recommendedDefault()));
        assertThat(other.shares()).isEqualTo(SplitEngine.splitRevenueAcrossRoles(other.breakdown().netPaise(), SPEC_ROLES));
    }

    @Test
    void rulesOwnRolesWinOverTheDefaults() {
        List<RoleSplit> own = List.of(new RoleSplit("organiser", 10_000, MemberSplitMode.EQUAL, List.of(MemberShare.of("org"))));
        RuleSet rs = RuleSet.of(List.of(Rules.withRoles(rule("r", 0, always()), own)));
        FeeQuote q = QuoteEngine.quote(EX1, attrs(EX1, "c"), rs, T1, (List<RoleSplit>) null); // defaults not needed, not checked
        assertThat(q.shares()).singleElement().satisfies(r -> {
            assertThat(r.role()).isEqualTo("organiser");
            assertThat(r.amountPaise()).isEqualTo(q.breakdown().netPaise());
        });
        FeeQuote viaPlan = QuoteEngine.quote(EX1, attrs(EX1, "c"), rs, T1, SplitEngine.compile(SPEC_ROLES));
        assertThat(viaPlan).isEqualTo(q);
    }

    @Test
    void errors() {
        RuleSet rs = RuleSet.of(List.of(rule("events", 0, eq("sourceType", "EVENT"))));
        PaymentFacts sponsor = new PaymentFacts(1_000, "SPONSOR", "CARD", null, null);
        expect(() -> QuoteEngine.quote(sponsor, attrs(sponsor, "c"), rs, T1, SPEC_ROLES), "rule");
        expect(() -> QuoteEngine.quote(EX1, attrs(EX1, "c"), rs, T1, List.of()), "defaultRoles");
        expect(() -> QuoteEngine.quote(EX1, attrs(EX1, "c"), rs, T1, (com.commdesk.fees.SplitPlan) null), "defaultRoles");
        expect(() -> QuoteEngine.quote(EX1, attrs(new PaymentFacts(999, "EVENT", "CARD", null, null), "c"), rs, T1, SPEC_ROLES),
                "attributes.amountPaise");
        expect(() -> QuoteEngine.quote(EX1, attrs(new PaymentFacts(1_000_000, "SPONSOR", "CARD", null, null), "c"), rs, T1, SPEC_ROLES),
                "attributes.sourceType");
        expect(() -> QuoteEngine.quote(EX1, attrs(new PaymentFacts(1_000_000, "event", "UPI", null, null), "c"), rs, T1, SPEC_ROLES),
                "attributes.paymentMethod");
        expect(() -> QuoteEngine.quote(null, attrs(EX1, "c"), rs, T1, SPEC_ROLES), "facts");
        expect(() -> QuoteEngine.quote(EX1, null, rs, T1, SPEC_ROLES), "attributes");
        expect(() -> QuoteEngine.quote(EX1, attrs(EX1, "c"), null, T1, SPEC_ROLES), "rules");
        expect(() -> QuoteEngine.quote(EX1, attrs(EX1, "c"), rs, null, SPEC_ROLES), "at");
    }

    static void expect(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String field) {
        assertThatThrownBy(call).isInstanceOfSatisfying(FeeValidationException.class,
                e -> assertThat(e.field()).as(e.getMessage()).isEqualTo(field));
    }

    @Test
    void quoteIsDeterministic() {
        RuleSet rs = RuleSet.of(List.of(rule("r", 0, always())));
        FeeQuote a = QuoteEngine.quote(EX1, attrs(EX1, "c"), rs, T1, SPEC_ROLES);
        FeeQuote b = QuoteEngine.quote(EX1, attrs(EX1, "c"), rs, T1, SPEC_ROLES);
        assertThat(a).isEqualTo(b);
        FeeBreakdown br = a.breakdown();
        assertThat(a.shares().stream().mapToLong(RoleAllocation::amountPaise).sum()).isEqualTo(br.netPaise());
    }
}
