package com.commdesk.fees.rules;

import static com.commdesk.fees.rules.Condition.and;
import static com.commdesk.fees.rules.Condition.eq;
import static com.commdesk.fees.rules.Condition.not;
import static com.commdesk.fees.rules.Condition.or;
import static com.commdesk.fees.rules.Rules.T0;
import static com.commdesk.fees.rules.Rules.T1;
import static com.commdesk.fees.rules.Rules.T2;
import static com.commdesk.fees.rules.Rules.rule;
import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.fees.rules.RuleExplanation.Outcome;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** "Which rule would have matched, and why not the others": the explanation of a selection, by hand. */
class RuleExplanationTest {
    static final RuleSet RULES = RuleSet.of(List.of(
            rule("catch-all", 1, 0, T0, null, new Condition.Always()),
            rule("events", 1, 10, T0, null, eq("sourceType", "EVENT")),
            rule("diwali", 1, 50, T1, T2, and(eq("sourceType", "EVENT"), eq("metadata.campaign", "diwali"))),
            rule("big-sponsors", 1, 40, T0, null, and(eq("sourceType", "SPONSOR"), new Condition.Range("amountPaise", 10_000_000L, null))),
            rule("not-upi", 1, 30, T0, T1, not(eq("paymentMethod", "CARD"))),
            rule("gold", 1, 20, T0, null, or(eq("communityTier", "gold"), eq("communityTier", "platinum")))));

    static PaymentAttributes attrs(String source, long amount, Map<String, String> metadata) {
        return new PaymentAttributes(source, "c1", "silver", "CARD", amount, LocalDate.of(2026, 3, 1), metadata);
    }

    static String line(RuleExplanation x) {
        return x.ruleId() + " " + x.outcome() + (x.failedCondition() == null ? "" : " at " + x.failedCondition()) + ": " + x.reason();
    }

    @Test
    void everyRuleWithItsOutcomeInSelectionOrder() {
        RuleSelection s = RULES.explain(attrs("EVENT", 500_000, Map.of("campaign", "newyear")), T0.plusSeconds(60));
        assertThat(s.selected().ruleId()).isEqualTo("events");
        assertThat(s.candidates()).extracting(RuleExplanationTest::line).containsExactly(
                "diwali NOT_EFFECTIVE: not effective yet at 2026-01-01T00:01:00Z: from 2026-07-01T00:00:00Z",
                "not-upi CONDITION_FAILED at condition: not (paymentMethod = CARD), but it holds",
                "gold CONDITION_FAILED at condition: none of its 2 alternatives matches; the first fails at condition.conditions[0]: "
                        + "communityTier = gold, but communityTier is 'silver'",
                "events SELECTED: effective and its condition matches; priority 10 is the highest of the matching rules (version 1)",
                "catch-all MATCHED_LOWER_PRIORITY: its condition matches too, but rule 'events' v1 has the higher priority 10 (this one: 0)");
        assertThat(s.otherRules()).as("big-sponsors needs SPONSOR: it cannot match an EVENT payment").isEqualTo(1);
        // for a sponsor payment it is a candidate, and its amount band is what fails
        assertThat(RULES.explain(attrs("SPONSOR", 500_000, Map.of()), T0).candidates()).extracting(RuleExplanationTest::line)
                .contains("big-sponsors CONDITION_FAILED at condition.conditions[1]: amountPaise ≥ 10000000, but amountPaise is 500000");
    }

    @Test
    void aDateAndMetadataWhatIf() {
        // the same payment during the Diwali window, with the campaign tag: the promotion wins
        RuleSelection s = RULES.explain(attrs("EVENT", 500_000, Map.of("campaign", "Diwali")), T1.plusSeconds(1));
        assertThat(s.selected().ruleId()).isEqualTo("diwali");
        assertThat(s.candidates().get(0).outcome()).isEqualTo(Outcome.SELECTED);
        assertThat(s.candidates()).filteredOn(x -> x.ruleId().equals("not-upi")).extracting(RuleExplanation::reason)
                .containsExactly("no longer effective at 2026-07-01T00:00:01Z: ended 2026-07-01T00:00:00Z");
        // without the tag: the first condition that fails is the missing metadata
        RuleSelection t = RULES.explain(attrs("EVENT", 500_000, Map.of()), T1.plusSeconds(1));
        assertThat(t.candidates().get(0)).extracting(RuleExplanationTest::line)
                .isEqualTo("diwali CONDITION_FAILED at condition.conditions[1]: metadata.campaign = diwali, but metadata.campaign is absent");
    }

    /* Rules filed under other communities or sources cannot match: counted, not listed (nor shown to this community). */
    @Test
    void otherCommunitiesRulesAreOnlyCounted() {
        RuleSet rs = RuleSet.of(List.of(rule("c1-events", 1, 5, T0, null, and(eq("communityId", "c1"), eq("sourceType", "EVENT"))),
                rule("c2-events", 1, 5, T0, null, and(eq("communityId", "c2"), eq("sourceType", "EVENT"))),
                rule("c1-sponsors", 1, 5, T0, null, and(eq("communityId", "c1"), eq("sourceType", "SPONSOR"))),
                rule("any", 1, 0, T0, null, new Condition.Always())));
        RuleSelection s = rs.explain(attrs("EVENT", 1_000, null), T0);
        assertThat(s.candidates()).extracting(RuleExplanation::ruleId).containsExactly("c1-events", "any");
        assertThat(s.otherRules()).isEqualTo(2);
    }

    @Test
    void nothingSelected() {
        RuleSet only = RuleSet.of(List.of(rule("sponsors", 1, 1, T0, null, new Condition.Range("amountPaise", null, 100L))));
        RuleSelection s = only.explain(attrs("SPONSOR", 101, null), T0);
        assertThat(s.selected()).isNull();
        assertThat(s.candidates()).extracting(RuleExplanationTest::line)
                .containsExactly("sponsors CONDITION_FAILED at condition: amountPaise ≤ 100, but amountPaise is 101");
    }
}
