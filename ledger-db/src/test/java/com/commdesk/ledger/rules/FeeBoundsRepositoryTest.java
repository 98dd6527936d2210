package com.commdesk.ledger.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.commdesk.fees.FeeBounds;
import com.commdesk.fees.FeeSchedules;
import com.commdesk.fees.FeeValidationException;
import com.commdesk.fees.rules.Condition;
import com.commdesk.ledger.LedgerDatabase;
import com.commdesk.ledger.rules.CommissionRuleRepository.Draft;
import com.commdesk.ledger.testing.TestDatabases;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The platform-wide fee bounds on real PostgreSQL: one place, audited, and rules always inside them. */
class FeeBoundsRepositoryTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    LedgerDatabase db;
    FeeBoundsRepository bounds;
    CommissionRuleRepository rules;

    @BeforeEach
    void setUp() {
        db = TestDatabases.fresh();
        bounds = new FeeBoundsRepository(db.dsl());
        rules = new CommissionRuleRepository(db.dsl());
    }

    @AfterEach
    void tearDown() throws Exception {
        db.close();
    }

    static Draft draft(String community) {
        // seedExamples: EVENT 10 %, SPONSOR 12 %, PREMIUM 10 %, no fixed part
        return new Draft(1, T0, null, Condition.eq("communityId", community), FeeSchedules.seedExamples(), List.of());
    }

    @Test
    void startsAtTheSeedsFiveToTwentyPercentAndEveryChangeIsAudited() {
        FeeBoundsRepository.Stored initial = bounds.current();
        assertThat(initial.bounds()).isEqualTo(FeeBounds.DEFAULT);
        assertThat(initial.revision()).isEqualTo(1);

        FeeBoundsRepository.Stored changed = bounds.update(new FeeBounds(600, 1500, 10_000), "admin@commdesk", Map.of());
        assertThat(changed.bounds()).isEqualTo(new FeeBounds(600, 1500, 10_000));
        assertThat(changed.revision()).isEqualTo(2);
        assertThat(changed.updatedBy()).isEqualTo("admin@commdesk");
        bounds.update(new FeeBounds(500, 2000, 0), "root", Map.of());

        assertThat(bounds.history()).extracting(a -> a.revision() + " " + a.actor() + " " + a.before() + " -> " + a.after()).containsExactly(
                "2 admin@commdesk " + FeeBounds.DEFAULT + " -> " + new FeeBounds(600, 1500, 10_000),
                "3 root " + new FeeBounds(600, 1500, 10_000) + " -> " + FeeBounds.DEFAULT);
        assertThat(bounds.history().get(0).changedAt()).isNotNull();
    }

    @Test
    void ruleSavesAreCheckedAgainstTheBoundsOfTheMoment() {
        bounds.update(new FeeBounds(500, 1100, 0), "admin", Map.of());
        // seedExamples' SPONSOR 12 % is now outside: 422 on the field, nothing written
        assertThatThrownBy(() -> rules.create("r-out", draft("c1"), "ops")).isInstanceOfSatisfying(FeeValidationException.class,
                e -> assertThat(e.field()).isEqualTo("schedule.platformFee.SPONSOR.rate.rateBps"));
        assertThat(rules.find("r-out")).isEmpty();
        bounds.update(new FeeBounds(500, 1200, 0), "admin", Map.of());
        rules.create("r-in", draft("c1"), "ops");
        assertThat(rules.find("r-in")).isPresent();
    }

    @Test
    void boundsThatWouldExcludeAnActiveRuleAreRefusedNamingTheRules() {
        rules.create("r-12", draft("c1"), "ops");
        assertThatThrownBy(() -> bounds.update(new FeeBounds(500, 1100, 0), "admin", Map.of()))
                .isInstanceOfSatisfying(FeeBoundsRepository.OutsideBoundsException.class, e -> {
                    assertThat(e.field()).isEqualTo("maxPlatformFeeBps");
                    assertThat(e.ruleIds()).containsExactly("r-12");
                });
        assertThatThrownBy(() -> bounds.update(new FeeBounds(1100, 2000, 0), "admin", Map.of()))
                .isInstanceOfSatisfying(FeeBoundsRepository.OutsideBoundsException.class, e -> assertThat(e.field()).isEqualTo("minPlatformFeeBps"));
        // a schedule the caller names (the API's default preset) counts too
        assertThatThrownBy(() -> bounds.update(new FeeBounds(500, 1100, 0), "admin", Map.of("recommended-default", FeeSchedules.recommendedDefault())))
                .isInstanceOfSatisfying(FeeBoundsRepository.OutsideBoundsException.class,
                        e -> assertThat(e.ruleIds()).containsExactly("r-12", "default:recommended-default"));
        assertThat(bounds.current().revision()).isEqualTo(1);
        assertThat(bounds.history()).isEmpty();
        // once the rule is gone the bounds can tighten
        rules.deactivate("r-12", "ops");
        assertThat(bounds.update(new FeeBounds(500, 1100, 0), "admin", Map.of()).revision()).isEqualTo(2);
    }

    @Test
    void invalidBoundsNameTheField() {
        assertThatThrownBy(() -> bounds.update(new FeeBounds(2100, 2000, 0), "admin", Map.of()))
                .isInstanceOfSatisfying(FeeValidationException.class, e -> assertThat(e.field()).isEqualTo("minPlatformFeeBps"));
        assertThatThrownBy(() -> bounds.update(new FeeBounds(0, 10_001, 0), "admin", Map.of()))
                .isInstanceOfSatisfying(FeeValidationException.class, e -> assertThat(e.field()).isEqualTo("maxPlatformFeeBps"));
        assertThatThrownBy(() -> bounds.update(FeeBounds.DEFAULT, " ", Map.of()))
                .isInstanceOfSatisfying(FeeValidationException.class, e -> assertThat(e.field()).isEqualTo("actor"));
        assertThat(bounds.current().revision()).isEqualTo(1);
    }

    @Test
    void theDatabaseKeepsTheRowAndTheAuditTrail() throws SQLException {
        bounds.update(new FeeBounds(500, 1900, 0), "admin", Map.of());
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            for (String sql : List.of("delete from platform_fee_bounds", "truncate platform_fee_bounds cascade",
                    "update platform_fee_bounds_audit set actor = 'someone else'", "delete from platform_fee_bounds_audit",
                    "insert into platform_fee_bounds (singleton, min_platform_fee_bps, max_platform_fee_bps, max_platform_fixed_paise, revision, updated_by) values (false, 0, 0, 0, 9, 'x')",
                    "update platform_fee_bounds set min_platform_fee_bps = 600",
                    "update platform_fee_bounds set min_platform_fee_bps = 600, revision = revision + 1")) {
                assertThatThrownBy(() -> st.execute(sql)).as(sql).isInstanceOf(SQLException.class);
            }
        }
    }
}
