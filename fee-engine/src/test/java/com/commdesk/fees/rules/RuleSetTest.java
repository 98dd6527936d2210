package com.commdesk.fees.rules;

import static com.commdesk.fees.rules.Condition.always;
import static com.commdesk.fees.rules.Condition.and;
import static com.commdesk.fees.rules.Condition.eq;
import static com.commdesk.fees.rules.Condition.in;
import static com.commdesk.fees.rules.Condition.not;
import static com.commdesk.fees.rules.Condition.or;
import static com.commdesk.fees.rules.Rules.T0;
import static com.commdesk.fees.rules.Rules.T1;
import static com.commdesk.fees.rules.Rules.T2;
import static com.commdesk.fees.rules.Rules.attrs;
import static com.commdesk.fees.rules.Rules.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.commdesk.fees.FeeSchedules;
import com.commdesk.fees.FeeValidationException;
import com.commdesk.fees.MemberShare;
import com.commdesk.fees.MemberSplitMode;
import com.commdesk.fees.RoleSplit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RuleSetTest {

    static Optional<String> pick(RuleSet rs, PaymentAttributes a, Instant at) {
        return rs.select(a, at).map(r -> r.ruleId() + "@" + r.version());
    }

    static void fails(List<CommissionRule> rules, String field, String messagePart) {
        assertThatThrownBy(() -> RuleSet.of(rules)).isInstanceOfSatisfying(FeeValidationException.class, e -> {
            assertThat(e.field()).as(e.getMessage()).isEqualTo(field);
            assertThat(e.getMessage()).contains(messagePart);
        });
    }

    @Nested
    class Selection {
        final RuleSet rs = RuleSet.of(List.of(
                rule("default", 0, always()),
                rule("events", 10, eq("sourceType", "EVENT")),
                rule("big-events", 20, and(eq("sourceType", "EVENT"), new Condition.Range("amountPaise", 10_000_000L, null))),
                rule("comm-42", 30, eq("communityId", "comm-42")),
                rule("comm-42-sponsor", 40, and(eq("communityId", "comm-42"), eq("sourceType", "SPONSOR")))));

        @Test
        void highestPriorityMatchWins() {
            assertThat(pick(rs, attrs("PREMIUM", "comm-1", 100), T1)).contains("default@1");
            assertThat(pick(rs, attrs("EVENT", "comm-1", 100), T1)).contains("events@1");
            assertThat(pick(rs, attrs("event", "comm-1", 10_000_000), T1)).contains("big-events@1");
            assertThat(pick(rs, attrs("EVENT", "COMM-42", 10_000_000), T1)).contains("comm-42@1");
            assertThat(pick(rs, attrs("SPONSOR", "comm-42", 1), T1)).contains("comm-42-sponsor@1");
            assertThat(pick(rs, attrs(null, null, 1), T1)).contains("default@1");
        }

        @Test
        void nothingBeforeTheRulesStart() {
            assertThat(rs.select(attrs("EVENT", "comm-1", 100), T0.minusNanos(1))).isEmpty();
            assertThat(rs.size()).isEqualTo(5);
        }
    }

    @Test
    void effectiveWindowsAreHalfOpenAndVersionsTakeOver() {
        RuleSet rs = RuleSet.of(List.of(
                rule("std", 1, 0, T0, T1, always()),
                rule("std", 2, 0, T1, null, always()),
                rule("promo", 1, 5, T1, T2, eq("sourceType", "EVENT"))));
        PaymentAttributes ev = attrs("EVENT", "c", 1);
        assertThat(pick(rs, ev, T0)).contains("std@1");                 // from is inclusive
        assertThat(pick(rs, ev, T1.minusNanos(1))).contains("std@1");
        assertThat(pick(rs, ev, T1)).contains("promo@1");               // to is exclusive: v1 ended, promo started
        assertThat(pick(rs, attrs("SPONSOR", "c", 1), T1)).contains("std@2");
        assertThat(pick(rs, ev, T2)).contains("std@2");                 // promo over
    }

    /** The index must not change the answer: many communities, many sources, wildcard rules in between. */
    @Test
    void indexedSelectionEqualsAFullScan() {
        List<CommissionRule> rules = new ArrayList<>();
        rules.add(rule("catch-all", -100, always()));
        rules.add(rule("premium-any", 5, eq("sourceType", "PREMIUM")));
        rules.add(rule("method-upi", 7, eq("paymentMethod", "UPI")));
        for (int c = 0; c < 50; c++) {
            rules.add(rule("c" + c + "-all", 10, eq("communityId", "c" + c)));
            rules.add(rule("c" + c + "-ev", 20, and(eq("communityId", "c" + c), in("sourceType", "EVENT", "PREMIUM"))));
            rules.add(rule("c" + c + "-big", 30, and(eq("communityId", "c" + c), new Condition.Range("amountPaise", 1_000L * c, null))));
        }
        rules.add(rule("vip", 25, and(in("communityId", "c1", "c2", "c3"), not(eq("sourceType", "SPONSOR")))));
        RuleSet rs = RuleSet.of(rules);
        List<ConditionMatcher> matchers = rules.stream().map(r -> ConditionMatcher.compile(r.condition())).toList();
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            PaymentAttributes a = new PaymentAttributes(
                    new String[] {"EVENT", "SPONSOR", "PREMIUM", "event", null}[rnd.nextInt(5)],
                    rnd.nextInt(10) == 0 ? null : "C" + rnd.nextInt(60), null,
                    rnd.nextBoolean() ? "UPI" : "CARD", rnd.nextLong(0, 100_000), null, null);
            CommissionRule best = null;
            for (int k = 0; k < rules.size(); k++) {
                CommissionRule r = rules.get(k);
                if (r.effectiveAt(T1) && matchers.get(k).matches(a)
                        && (best == null || r.priority() > best.priority())) best = r;
            }
            assertThat(rs.select(a, T1)).as("%s", a).contains(best);
        }
    }

    @Nested
    class Ties {
        @Test
        void samePriorityOverlappingAndNotProvablyDisjointIsATie() {
            fails(List.of(rule("a", 10, eq("sourceType", "EVENT")), rule("b", 10, eq("paymentMethod", "CARD"))),
                    "rules[1].priority", "tie");
            fails(List.of(rule("a", 10, always()), rule("b", 10, eq("communityId", "c1"))), "rules[1].priority", "tie");
            fails(List.of(rule("a", 10, eq("communityId", "c1")), rule("b", 10, always())), "rules[1].priority", "tie");
            // Not and Regex never prove disjointness
            fails(List.of(rule("a", 10, eq("sourceType", "EVENT")), rule("b", 10, not(eq("sourceType", "EVENT")))),
                    "rules[1].priority", "tie");
            fails(List.of(rule("a", 10, new Condition.Regex("sourceType", "E.*")), rule("b", 10, new Condition.Regex("sourceType", "S.*"))),
                    "rules[1].priority", "tie");
            // overlapping amount ranges (both include 5,000)
            fails(List.of(rule("a", 10, new Condition.Range("amountPaise", null, 5_000L)),
                    rule("b", 10, new Condition.Range("amountPaise", 5_000L, null))), "rules[1].priority", "tie");
            // case-insensitive: "event" and "EVENT" are the same value
            fails(List.of(rule("a", 10, eq("sourceType", "event")), rule("b", 10, in("sourceType", "EVENT", "SPONSOR"))),
                    "rules[1].priority", "tie");
            // windows that share an instant
            fails(List.of(rule("a", 1, 10, T0, T2, always()), rule("b", 1, 10, T1, null, always())), "rules[1].priority", "tie");
        }

        @Test
        void provablyDisjointOrNonOverlappingIsNotATie() {
            List<List<CommissionRule>> ok = List.of(
                    // different communities (1,000 rules at one priority is the normal case)
                    List.of(rule("a", 10, eq("communityId", "c1")), rule("b", 10, eq("communityId", "C2"))),
                    List.of(rule("a", 10, in("sourceType", "EVENT", "PREMIUM")), rule("b", 10, eq("sourceType", "SPONSOR"))),
                    // amount bands
                    List.of(rule("a", 10, new Condition.Range("amountPaise", null, 4_999L)),
                            rule("b", 10, new Condition.Range("amountPaise", 5_000L, null))),
                    // through And (intersection) and Or (union when every branch constrains)
                    List.of(rule("a", 10, and(eq("communityId", "c1"), eq("sourceType", "EVENT"))),
                            rule("b", 10, and(eq("communityId", "c1"), or(eq("sourceType", "SPONSOR"), eq("sourceType", "PREMIUM"))))),
                    // date ranges
                    List.of(rule("a", 10, new Condition.DateRange("paymentDate", null, java.time.LocalDate.of(2026, 3, 31))),
                            rule("b", 10, new Condition.DateRange("paymentDate", java.time.LocalDate.of(2026, 4, 1), null))),
                    // metadata values
                    List.of(rule("a", 10, eq("metadata.plan", "pro")), rule("b", 10, eq("metadata.PLAN", "free"))),
                    // touching windows [T0, T1) and [T1, ∞) do not overlap
                    List.of(rule("a", 1, 10, T0, T1, always()), rule("b", 1, 10, T1, null, always())),
                    // different priorities never tie
                    List.of(rule("a", 10, always()), rule("b", 11, always())));
            for (List<CommissionRule> rules : ok) assertThatCode(() -> RuleSet.of(rules)).as("%s", rules).doesNotThrowAnyException();
        }

        @Test
        void anOrWithAnUnconstrainedBranchDoesNotProveDisjointness() {
            fails(List.of(rule("a", 10, eq("sourceType", "EVENT")),
                    rule("b", 10, or(eq("sourceType", "SPONSOR"), eq("paymentMethod", "UPI")))), "rules[1].priority", "tie");
        }
    }

    @Nested
    class Validation {
        @Test
        void fieldsOfARule() {
            CommissionRule ok = rule("a", 1, always());
            fails(Arrays.asList(ok, null), "rules[1]", "required");
            fails(List.of(rule(" ", 1, always())), "rules[0].ruleId", "");
            fails(List.of(rule("a", 0, 1, T0, null, always())), "rules[0].version", "");
            fails(List.of(rule("a", 1, 2_000_000, T0, null, always())), "rules[0].priority", "");
            fails(List.of(rule("a", 1, 1, null, null, always())), "rules[0].effectiveFrom", "");
            fails(List.of(rule("a", 1, 1, T1, T1, always())), "rules[0].effectiveTo", "");
            fails(List.of(rule("a", 1, null)), "rules[0].condition", "");
            fails(List.of(rule("a", 1, eq("colour", "red"))), "rules[0].condition.field", "unknown field");
            fails(List.of(rule("a", 1, and(eq("sourceType", "EVENT"), eq("sourceType", "SPONSOR")))), "rules[0].condition", "never match");
            fails(List.of(Rules.withSchedule(ok, null)), "rules[0].schedule", "");
            com.commdesk.fees.FeeSchedule s = FeeSchedules.recommendedDefault();
            com.commdesk.fees.FeeSchedule badGst = new com.commdesk.fees.FeeSchedule(s.name(), s.gstMethod(), 10_001, s.gatewayFeeByMethod(),
                    s.gatewayFeeBase(), s.gatewayGstRateBps(), s.platformFeeBySource(), s.platformFeeGst(), s.platformGstRateBps(),
                    s.tcsRateBps(), s.tdsRateBps(), s.rounding(), s.minPlatformFeeBps(), s.maxPlatformFeeBps());
            fails(List.of(Rules.withSchedule(ok, badGst)), "rules[0].schedule.gstRateBps", "");
            fails(List.of(Rules.withRoles(ok, List.of(new RoleSplit("owner", 9_000, MemberSplitMode.EQUAL, List.of(MemberShare.of("u")))))),
                    "rules[0].roles", "10000");
            assertThatThrownBy(() -> RuleSet.of(null)).isInstanceOf(FeeValidationException.class);
        }

        @Test
        void versions() {
            fails(List.of(rule("a", 1, 1, T0, T1, always()), rule("A", 1, 2, T1, null, always())), "rules[1].version", "version 1");
            fails(List.of(rule("a", 1, 1, T0, T2, always()), rule("a", 2, 2, T1, null, always())), "rules[1].effectiveFrom", "same time");
        }

        @Test
        void ruleCountLimit() {
            List<CommissionRule> many = new ArrayList<>();
            for (int i = 0; i <= RuleLimits.MAX_RULES; i++) many.add(rule("r" + i, i, always()));
            fails(many, "rules", "at most");
        }
    }

    @Test
    void selectArgumentsAreRequired() {
        RuleSet rs = RuleSet.of(List.of());
        assertThatThrownBy(() -> rs.select(null, T1)).isInstanceOf(FeeValidationException.class);
        assertThatThrownBy(() -> rs.select(attrs("EVENT", "c", 1), null)).isInstanceOf(FeeValidationException.class);
        assertThat(rs.select(attrs("EVENT", "c", 1), T1)).isEmpty();
    }
}
