package com.commdesk.fees.bench;

import com.commdesk.fees.CompiledFeeSchedule;
import com.commdesk.fees.FeeBreakdown;
import com.commdesk.fees.FeeEngine;
import com.commdesk.fees.FeeSchedule;
import com.commdesk.fees.FeeSchedules;
import com.commdesk.fees.MemberShare;
import com.commdesk.fees.MemberSplitMode;
import com.commdesk.fees.PaymentFacts;
import com.commdesk.fees.RoleAllocation;
import com.commdesk.fees.RoleSplit;
import com.commdesk.fees.SplitEngine;
import com.commdesk.fees.SplitPlan;
import com.commdesk.fees.rules.CommissionRule;
import com.commdesk.fees.rules.Condition;
import com.commdesk.fees.rules.FeeQuote;
import com.commdesk.fees.rules.PaymentAttributes;
import com.commdesk.fees.rules.QuoteEngine;
import com.commdesk.fees.rules.RuleSet;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Quotes per second on one thread with 1,000 active rules: 330 communities × 3 rules (events,
 * sponsors — same priority, disjoint by source — and a higher-priority big-ticket rule) plus 10
 * global rules down to a catch-all. 4,096 pre-built payments over 400 communities (70 without a
 * rule of their own), all sources and methods, amounts from ₹1 to ₹10 lakh. Run: see docs/fees.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class QuoteBenchmark {

    static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
    static final int PAYMENTS = 4096;

    RuleSet rules;
    List<RoleSplit> defaultRoles;
    SplitPlan defaultPlan;
    PaymentFacts[] facts;
    PaymentAttributes[] attributes;
    CompiledFeeSchedule schedule;
    int next;

    @Setup
    public void setup() {
        SplittableRandom r = new SplittableRandom(42);
        FeeSchedule seed = FeeSchedules.seedExamples();
        FeeSchedule rec = FeeSchedules.recommendedDefault();
        Instant from = Instant.parse("2026-01-01T00:00:00Z");
        List<RoleSplit> ruleRoles = List.of(
                new RoleSplit("organiser", 7000, MemberSplitMode.WEIGHTED, List.of(new MemberShare("o1", 2, 0), new MemberShare("o2", 1, 0))),
                new RoleSplit("volunteers", 3000, MemberSplitMode.EQUAL, List.of(MemberShare.of("v1"), MemberShare.of("v2"), MemberShare.of("v3"))));
        List<CommissionRule> list = new ArrayList<>();
        for (int c = 0; c < 330; c++) {
            String id = "comm-" + c;
            Condition community = Condition.eq("communityId", id);
            list.add(new CommissionRule(id + "-events", 1, 100, from, null,
                    Condition.and(community, Condition.in("sourceType", "EVENT", "PREMIUM")), c % 2 == 0 ? rec : seed, List.of()));
            list.add(new CommissionRule(id + "-sponsors", 1, 100, from, null,
                    Condition.and(community, Condition.eq("sourceType", "SPONSOR")), rec, c % 3 == 0 ? ruleRoles : List.of()));
            list.add(new CommissionRule(id + "-big", 1, 200, from, Instant.parse("2027-04-01T00:00:00Z"),
                    Condition.and(community, new Condition.Range("amountPaise", 50_000_000L, null)), rec, List.of()));
        }
        list.add(new CommissionRule("gold-tier", 1, 50, from, null, Condition.eq("communityTier", "GOLD"), rec, List.of()));
        list.add(new CommissionRule("diwali", 1, 40, from, null, new Condition.Regex("metadata.campaign", "diwali-.*"), seed, List.of()));
        list.add(new CommissionRule("upi-promo", 1, 30, from, null,
                Condition.and(Condition.eq("paymentMethod", "UPI"), new Condition.DateRange("paymentDate", LocalDate.of(2026, 11, 1), null)), rec, List.of()));
        for (int g = 0; g < 6; g++) {
            list.add(new CommissionRule("global-" + g, 1, 10 + g, from, null,
                    Condition.and(Condition.eq("sourceType", g % 2 == 0 ? "PREMIUM" : "SPONSOR"), new Condition.Range("amountPaise", 1_000_000L * (g + 1), null)),
                    rec, List.of()));
        }
        list.add(new CommissionRule("catch-all", 1, 0, from, null, Condition.always(), rec, List.of()));
        if (list.size() != 1000) throw new IllegalStateException("expected 1,000 rules, built " + list.size());
        rules = RuleSet.of(list);

        defaultRoles = List.of(
                new RoleSplit("owner", 5000, MemberSplitMode.EQUAL, List.of(MemberShare.of("owner"))),
                new RoleSplit("admins", 2000, MemberSplitMode.EQUAL, List.of(MemberShare.of("a1"), MemberShare.of("a2"))),
                new RoleSplit("moderators", 1000, MemberSplitMode.EQUAL, List.of(MemberShare.of("m1"))),
                new RoleSplit("event team", 2000, MemberSplitMode.EQUAL, List.of(MemberShare.of("e1"), MemberShare.of("e2"), MemberShare.of("e3"))));
        defaultPlan = SplitEngine.compile(defaultRoles);
        schedule = FeeEngine.compile(rec);

        String[] sources = {"EVENT", "SPONSOR", "PREMIUM"};
        String[] methods = {"UPI", "CARD", "NETBANKING", "WALLET"};
        String[] tiers = {"FREE", "PRO", "GOLD", null};
        facts = new PaymentFacts[PAYMENTS];
        attributes = new PaymentAttributes[PAYMENTS];
        for (int i = 0; i < PAYMENTS; i++) {
            long amount = (long) Math.pow(10, 2 + r.nextDouble() * 6); // ₹1 .. ₹10 lakh, log-uniform
            String source = sources[r.nextInt(sources.length)];
            String method = methods[r.nextInt(methods.length)];
            facts[i] = new PaymentFacts(amount, source, method, "KA", r.nextBoolean() ? "KA" : "MH");
            Map<String, String> metadata = r.nextInt(20) == 0 ? Map.of("campaign", "diwali-2026") : Map.of();
            attributes[i] = new PaymentAttributes(source, "comm-" + r.nextInt(400), tiers[r.nextInt(tiers.length)], method,
                    amount, LocalDate.of(2026, 1 + r.nextInt(12), 1 + r.nextInt(28)), metadata);
        }
        // sanity: every payment quotes and balances
        for (int i = 0; i < PAYMENTS; i++) {
            FeeQuote q = QuoteEngine.quote(facts[i], attributes[i], rules, NOW, defaultRoles);
            long shared = 0;
            for (RoleAllocation a : q.shares()) shared += a.amountPaise();
            if (shared != q.breakdown().netPaise()) throw new IllegalStateException("shares do not sum to the net for payment " + i);
        }
    }

    private int nextIndex() {
        int i = next;
        next = (i + 1) & (PAYMENTS - 1);
        return i;
    }

    /** The headline figure: select + calculate + split through the public API, default roles as a List. */
    @Benchmark
    public FeeQuote quote() {
        int i = nextIndex();
        return QuoteEngine.quote(facts[i], attributes[i], rules, NOW, defaultRoles);
    }

    /** As {@link #quote()} with the default roles validated once (SplitPlan). */
    @Benchmark
    public FeeQuote quoteWithCompiledDefaults() {
        int i = nextIndex();
        return QuoteEngine.quote(facts[i], attributes[i], rules, NOW, defaultPlan);
    }

    /** Rule selection alone. */
    @Benchmark
    public Optional<CommissionRule> select() {
        return rules.select(attributes[nextIndex()], NOW);
    }

    /** The fee calculation alone, with a compiled schedule. */
    @Benchmark
    public FeeBreakdown calculate() {
        return schedule.calculate(facts[nextIndex()]);
    }
}
