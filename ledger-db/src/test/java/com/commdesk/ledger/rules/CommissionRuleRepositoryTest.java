package com.commdesk.ledger.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.commdesk.fees.FeeSchedule;
import com.commdesk.fees.FeeSchedules;
import com.commdesk.fees.FeeTier;
import com.commdesk.fees.FeeValidationException;
import com.commdesk.fees.MemberShare;
import com.commdesk.fees.MemberSplitMode;
import com.commdesk.fees.PlatformFeeRule;
import com.commdesk.fees.RoleSplit;
import com.commdesk.fees.TierMode;
import com.commdesk.fees.rules.CommissionRule;
import com.commdesk.fees.rules.Condition;
import com.commdesk.ledger.LedgerDatabase;
import com.commdesk.ledger.rules.CommissionRuleRepository.Draft;
import com.commdesk.ledger.rules.CommissionRuleRepository.History;
import com.commdesk.ledger.rules.CommissionRuleRepository.StoredRule;
import com.commdesk.ledger.testing.TestDatabases;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Stored rules on real PostgreSQL: versions, validation, ties at save time, the audit trail, immutability, the cache. */
class CommissionRuleRepositoryTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static LedgerDatabase db;
    static CommissionRuleRepository rules;

    @BeforeAll
    static void setUp() {
        db = TestDatabases.fresh();
        rules = new CommissionRuleRepository(db.dsl());
    }

    @AfterAll
    static void tearDown() throws Exception {
        db.close();
    }

    static Draft draft(String community, int priority) {
        return new Draft(priority, T0, null, Condition.eq("communityId", community), FeeSchedules.seedExamples(), List.of());
    }

    static List<RoleSplit> roles() {
        return List.of(new RoleSplit("owner", 6000, MemberSplitMode.EQUAL, List.of(MemberShare.of("u1"))),
                new RoleSplit("crew", 4000, MemberSplitMode.WEIGHTED, List.of(new MemberShare("u2", 3, 0), new MemberShare("u3", 1, 0))));
    }

    static void sql(String statement) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    static long count(String q) {
        return ((Number) db.dsl().fetchValue(q)).longValue();
    }

    @Test
    void createStoresVersionOneActiveWithAnAuditRow() {
        StoredRule r = rules.create("create-1", draft("c-create", 10), "alice");

        assertThat(r.status()).isEqualTo("ACTIVE");
        assertThat(r.current().version()).isEqualTo(1);
        assertThat(r.createdBy()).isEqualTo("alice");
        History h = rules.history("CREATE-1").orElseThrow(); // ids ignore case
        assertThat(h.versions()).hasSize(1);
        assertThat(h.audit()).singleElement().satisfies(a -> {
            assertThat(a.action()).isEqualTo("CREATE");
            assertThat(a.actor()).isEqualTo("alice");
            assertThat(a.before()).isNull();
            assertThat(a.after()).containsEntry("version", 1).containsEntry("status", "ACTIVE").containsEntry("priority", 10);
        });
        assertThat(rules.activeRules().rules()).extracting(CommissionRule::ruleId).contains("create-1");
        assertThat(rules.list()).extracting(StoredRule::ruleId).contains("create-1");
    }

    @Test
    void everyShapeRoundTripsThroughJsonb() {
        Map<String, PlatformFeeRule> platform = new LinkedHashMap<>(FeeSchedules.recommendedDefault().platformFeeBySource());
        platform.put("EVENT", PlatformFeeRule.tiered(TierMode.MARGINAL,
                List.of(new FeeTier(0, 1000, 0), new FeeTier(100_000, 800, 0), new FeeTier(1_000_000, 600, 500))));
        FeeSchedule base = FeeSchedules.recommendedDefault();
        FeeSchedule tiered = new FeeSchedule("tiered", base.gstMethod(), base.gstRateBps(), base.gatewayFeeByMethod(), base.gatewayFeeBase(),
                base.gatewayGstRateBps(), platform, base.platformFeeGst(), base.platformGstRateBps(), base.tcsRateBps(), base.tdsRateBps(),
                base.rounding(), base.minPlatformFeeBps(), base.maxPlatformFeeBps());
        Condition c = Condition.and(Condition.eq("communityId", "c-shapes"), Condition.in("sourceType", "EVENT", "PREMIUM"),
                new Condition.Range("amountPaise", 100L, null),
                new Condition.DateRange("paymentDate", LocalDate.parse("2026-01-01"), LocalDate.parse("2026-12-31")),
                Condition.not(new Condition.Regex("metadata.campaign", "test-.*")), Condition.or(Condition.eq("paymentMethod", "UPI"), Condition.always()));
        tiered = tiered.withBearers(com.commdesk.fees.FeeBearer.CUSTOMER, com.commdesk.fees.FeeBearer.PLATFORM);
        List<RoleSplit> mixed = new java.util.ArrayList<>(roles());
        mixed.add(RoleSplit.fixed("venue", 50_000, MemberSplitMode.EQUAL, List.of(MemberShare.of("v1"))));
        mixed.add(RoleSplit.tiered("event_team", TierMode.MARGINAL, List.of(new FeeTier(0, 1000, 0), new FeeTier(10_000_000, 1500, 0)),
                MemberSplitMode.EQUAL, List.of(MemberShare.of("e1"))));
        Draft d = new Draft(-5, T0, T0.plus(Duration.ofDays(30)), c, tiered, mixed);
        // the tier's fixed part (500 paise) needs platform bounds that allow one
        new FeeBoundsRepository(db.dsl()).update(new com.commdesk.fees.FeeBounds(500, 2000, 500), "test", Map.of());

        rules.create("shapes", d, "bob");

        CommissionRule stored = rules.history("shapes").orElseThrow().versions().get(0).rule();
        assertThat(stored).isEqualTo(new CommissionRule("shapes", 1, -5, d.effectiveFrom(), d.effectiveTo(), c, tiered, mixed));
        assertThat(stored.schedule().gatewayFeeBearer()).isEqualTo(com.commdesk.fees.FeeBearer.CUSTOMER);
    }

    @Test
    void updateAddsTheNextVersionAndKeepsTheOldOne() {
        rules.create("upd", draft("c-upd", 10), "alice");
        Draft v2 = new Draft(20, T0, null, Condition.eq("communityId", "c-upd"), FeeSchedules.recommendedDefault(), roles());

        StoredRule r = rules.update("upd", v2, "bob");

        assertThat(r.current().version()).isEqualTo(2);
        assertThat(r.current().priority()).isEqualTo(20);
        assertThat(r.updatedBy()).isEqualTo("bob");
        History h = rules.history("upd").orElseThrow();
        assertThat(h.versions()).extracting(v -> v.rule().version()).containsExactly(1, 2);
        assertThat(h.versions().get(0).rule().schedule().name()).isEqualTo(FeeSchedules.SEED_EXAMPLES);
        assertThat(h.audit()).extracting(CommissionRuleRepository.AuditEntry::action).containsExactly("CREATE", "UPDATE");
        var update = h.audit().get(1);
        assertThat(update.actor()).isEqualTo("bob");
        assertThat(update.before()).containsEntry("version", 1).containsEntry("priority", 10);
        assertThat(update.after()).containsEntry("version", 2).containsEntry("priority", 20);
        // only the current version is active
        assertThat(rules.activeRules().rules()).filteredOn(x -> x.ruleId().equals("upd")).singleElement()
                .extracting(CommissionRule::version).isEqualTo(2);
    }

    @Test
    void deactivateTakesTheRuleOutOfTheActiveSetAndUpdateReactivates() {
        rules.create("deact", draft("c-deact", 10), "alice");

        StoredRule r = rules.deactivate("deact", "carol");

        assertThat(r.status()).isEqualTo("INACTIVE");
        assertThat(rules.activeRules().rules()).extracting(CommissionRule::ruleId).doesNotContain("deact");
        assertThatThrownBy(() -> rules.deactivate("deact", "carol")).isInstanceOfSatisfying(CommissionRuleException.class,
                e -> assertThat(e.code()).isEqualTo(CommissionRuleException.Code.ALREADY_INACTIVE));
        var audit = rules.history("deact").orElseThrow().audit();
        assertThat(audit.get(1).action()).isEqualTo("DEACTIVATE");
        assertThat(audit.get(1).before()).containsEntry("status", "ACTIVE");
        assertThat(audit.get(1).after()).containsEntry("status", "INACTIVE");

        assertThat(rules.update("deact", draft("c-deact", 11), "carol").status()).isEqualTo("ACTIVE");
        assertThat(rules.activeRules().rules()).extracting(CommissionRule::ruleId).contains("deact");
    }

    @Test
    void invalidInputNamesTheFieldAndWritesNothing() {
        long before = count("select count(*) from commission_rule_audit");
        FeeSchedule s = FeeSchedules.seedExamples();
        Map<String, PlatformFeeRule> tooHigh = new LinkedHashMap<>(s.platformFeeBySource());
        tooHigh.put("EVENT", PlatformFeeRule.flat(2500));
        FeeSchedule outOfBounds = new FeeSchedule(s.name(), s.gstMethod(), s.gstRateBps(), s.gatewayFeeByMethod(), s.gatewayFeeBase(),
                s.gatewayGstRateBps(), tooHigh, s.platformFeeGst(), s.platformGstRateBps(), s.tcsRateBps(), s.tdsRateBps(),
                s.rounding(), s.minPlatformFeeBps(), s.maxPlatformFeeBps());
        List<RoleSplit> badShares = List.of(new RoleSplit("owner", 9000, MemberSplitMode.EQUAL, List.of(MemberShare.of("u1"))));
        Condition cond = Condition.eq("communityId", "c-bad");

        record Case(String ruleId, Draft draft, String actor, String field) {}
        for (Case c : List.of(
                new Case("bad-1", new Draft(1, T0, null, cond, outOfBounds, List.of()), "a", "schedule.platformFee.EVENT.rate.rateBps"),
                new Case("bad-2", new Draft(1, T0, null, cond, s, badShares), "a", "roles"),
                new Case("bad-3", new Draft(1, T0, T0, cond, s, List.of()), "a", "effectiveTo"),
                new Case("bad-4", new Draft(1, null, null, cond, s, List.of()), "a", "effectiveFrom"),
                new Case("bad-5", new Draft(1, T0, null, new Condition.Eq("nope", "x"), s, List.of()), "a", "condition.field"),
                new Case("bad-6", new Draft(1, T0, null, null, s, List.of()), "a", "condition"),
                new Case("bad-7", new Draft(2_000_000, T0, null, cond, s, List.of()), "a", "priority"),
                new Case("bad id", draft("c-bad", 1), "a", "ruleId"),
                new Case("bad-8", draft("c-bad", 1), " ", "actor"))) {
            assertThatThrownBy(() -> rules.create(c.ruleId(), c.draft(), c.actor())).as(c.field())
                    .isInstanceOfSatisfying(FeeValidationException.class, e -> assertThat(e.field()).isEqualTo(c.field()));
        }
        assertThat(count("select count(*) from commission_rule_audit")).isEqualTo(before);
        assertThat(count("select count(*) from commission_rule where rule_id like 'bad%'")).isZero();
    }

    @Test
    void aDuplicateIdIgnoringCaseIsRefused() {
        rules.create("dup-Rule", draft("c-dup", 10), "alice");
        assertThatThrownBy(() -> rules.create("DUP-rule", draft("c-dup2", 10), "alice")).isInstanceOfSatisfying(
                CommissionRuleException.class, e -> assertThat(e.code()).isEqualTo(CommissionRuleException.Code.ALREADY_EXISTS));
    }

    @Test
    void aTieWithAnotherActiveRuleIsRefusedAtSaveTime() {
        rules.create("tie-a", new Draft(500, T0, null, Condition.eq("communityId", "c-tie"), FeeSchedules.seedExamples(), List.of()), "alice");

        // same priority, overlapping window, conditions not provably disjoint
        Draft clash = new Draft(500, T0.plus(Duration.ofDays(1)), null,
                Condition.and(Condition.eq("communityId", "c-tie"), Condition.eq("sourceType", "EVENT")), FeeSchedules.seedExamples(), List.of());
        assertThatThrownBy(() -> rules.create("tie-b", clash, "bob")).isInstanceOfSatisfying(CommissionRuleException.class, e -> {
            assertThat(e.code()).isEqualTo(CommissionRuleException.Code.TIE);
            assertThat(e.field()).isEqualTo("priority");
            assertThat(e.otherRuleId()).isEqualTo("tie-a");
        });
        assertThat(rules.find("tie-b")).isEmpty();

        // provably disjoint, a different priority, or a window that ends before: all fine
        rules.create("tie-c", new Draft(500, T0, null, Condition.eq("communityId", "c-tie-other"), FeeSchedules.seedExamples(), List.of()), "bob");
        rules.create("tie-d", new Draft(501, T0, null, Condition.eq("communityId", "c-tie"), FeeSchedules.seedExamples(), List.of()), "bob");
        Instant before = Instant.parse("2025-01-01T00:00:00Z");
        rules.create("tie-e", new Draft(500, before, T0, Condition.eq("communityId", "c-tie"), FeeSchedules.seedExamples(), List.of()), "bob");

        // an update into a tie is refused too, and leaves the rule as it was
        assertThatThrownBy(() -> rules.update("tie-c", new Draft(500, T0, null, Condition.eq("communityId", "c-tie"),
                FeeSchedules.seedExamples(), List.of()), "bob")).isInstanceOfSatisfying(CommissionRuleException.class,
                e -> assertThat(e.code()).isEqualTo(CommissionRuleException.Code.TIE));
        assertThat(rules.find("tie-c").orElseThrow().current().version()).isEqualTo(1);

        // an inactive rule ties with nothing
        rules.deactivate("tie-a", "alice");
        rules.create("tie-b", clash, "bob");
    }

    @Test
    void aUsedVersionIsFrozenByTheDatabaseAndTheAuditTrailIsAppendOnly() throws SQLException {
        rules.create("frozen", draft("c-frozen", 10), "alice");
        rules.create("fresh", draft("c-fresh", 10), "alice");

        assertThat(rules.markUsed("frozen", 1)).isTrue();
        assertThat(new CommissionRuleRepository(db.dsl()).markUsed("frozen", 1)).isFalse();
        assertThat(rules.history("frozen").orElseThrow().versions().get(0).usedAt()).isNotNull();

        for (String s : new String[] {
                "update commission_rule_version set priority = 99 where rule_id = 'frozen'",
                "update commission_rule_version set used_at = now() where rule_id = 'frozen'",
                "update commission_rule_version set used_at = null where rule_id = 'frozen'",
                "delete from commission_rule_version where rule_id = 'frozen'",
                // an unused version's content cannot change either: editing creates the next version
                "update commission_rule_version set schedule = '{}'::jsonb where rule_id = 'fresh'",
                "delete from commission_rule_version where rule_id = 'fresh'",
                "truncate commission_rule_version cascade",
                "update commission_rule_audit set actor = 'mallory'",
                "delete from commission_rule_audit",
                "truncate commission_rule_audit"}) {
            // the runtime role (which these tests connect as) is refused by its privileges, anyone else by the triggers
            assertThatThrownBy(() -> sql(s)).as(s).isInstanceOf(SQLException.class).hasMessageMatching("(?s).*(append-only|permission denied).*");
        }
        // the one change allowed: an unused version becomes used
        sql("update commission_rule_version set used_at = now() where rule_id = 'fresh' and used_at is null");
        assertThat(count("select count(*) from commission_rule_version where rule_id = 'frozen' and priority = 10 and used_at is not null"))
                .isEqualTo(1);

        // editing a used rule makes version 2; version 1 stays as it was
        rules.update("frozen", draft("c-frozen", 11), "alice");
        assertThat(count("select count(*) from commission_rule_version where rule_id = 'frozen'")).isEqualTo(2);
    }

    @Test
    void theCacheSeesChangesByOtherProcessesThroughTheRevision() {
        CommissionRuleRepository everyCall = new CommissionRuleRepository(db.dsl());
        CommissionRuleRepository hourly = new CommissionRuleRepository(db.dsl(), Duration.ofHours(1));
        var first = everyCall.activeRules();
        assertThat(everyCall.activeRules()).isSameAs(first); // nothing changed: no rebuild
        hourly.activeRules();

        rules.create("cache-1", draft("c-cache", 10), "alice"); // "another process"

        assertThat(everyCall.activeRules().rules()).extracting(CommissionRule::ruleId).contains("cache-1");
        assertThat(hourly.activeRules().rules()).extracting(CommissionRule::ruleId).doesNotContain("cache-1");
        hourly.invalidate();
        assertThat(hourly.activeRules().rules()).extracting(CommissionRule::ruleId).contains("cache-1");
        assertThat(everyCall.revision()).isPositive();
    }

    @Test
    void unknownRulesAreNotFound() {
        assertThat(rules.history("nope")).isEmpty();
        assertThatThrownBy(() -> rules.update("nope", draft("c-nope", 1), "a")).isInstanceOfSatisfying(CommissionRuleException.class,
                e -> assertThat(e.code()).isEqualTo(CommissionRuleException.Code.NOT_FOUND));
        assertThatThrownBy(() -> rules.deactivate("nope", "a")).isInstanceOfSatisfying(CommissionRuleException.class,
                e -> assertThat(e.code()).isEqualTo(CommissionRuleException.Code.NOT_FOUND));
    }
}
