package com.commdesk.ledger.community;

import com.commdesk.fees.RoleSplit;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.Record;
import org.jooq.exception.IntegrityConstraintViolationException;

/**
 * Community onboarding (docs/communities.md): communities and their settings, and their versioned,
 * effective-dated split agreements (roles with shares, members with equal / weighted / fixed splits).
 * A payment is split by the agreement version in force at its payment time, and that version is
 * recorded for it. Agreements are append-only (the database refuses changes); the caller validates a
 * split (SplitEngine.compile) before it is stored.
 */
public final class CommunityOnboarding {
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final TypeReference<List<RoleSplit>> ROLES = new TypeReference<>() {};

    private final DSLContext dsl;

    public CommunityOnboarding(DSLContext dsl) {
        this.dsl = dsl;
    }

    /**
     * What a community is and how it is paid; nullable fraud thresholds fall back to the platform's.
     * {@code sourceTypes}: the revenue sources it offers (a payment of another is refused); null = every one.
     */
    public record Settings(String name, String tier, String supplierState, String gstin, String panStatus, int holdDays,
                           String payoutPolicy, long minPayoutPaise, Long fraudMaxPaymentPaise, Integer fraudVelocityFloor,
                           Integer fraudVelocityMultiplier, int beneficiaryCoolingOffHours, List<String> sourceTypes) {
        public Settings {
            sourceTypes = sourceTypes == null ? null : List.copyOf(sourceTypes);
        }

        public Settings(String name, String tier, String supplierState, String gstin, String panStatus, int holdDays,
                        String payoutPolicy, long minPayoutPaise, Long fraudMaxPaymentPaise, Integer fraudVelocityFloor,
                        Integer fraudVelocityMultiplier, int beneficiaryCoolingOffHours) {
            this(name, tier, supplierState, gstin, panStatus, holdDays, payoutPolicy, minPayoutPaise, fraudMaxPaymentPaise,
                    fraudVelocityFloor, fraudVelocityMultiplier, beneficiaryCoolingOffHours, null);
        }
    }

    public record Community(String communityId, Settings settings, String createdBy, OffsetDateTime createdAt) {}

    public record Agreement(String communityId, int version, Instant effectiveFrom, List<RoleSplit> roles, String note,
                            String createdBy, OffsetDateTime createdAt) {}

    /** Thrown when the community exists already (create) or does not (everything else). */
    public static final class Conflict extends RuntimeException {
        public final boolean notFound;

        Conflict(String message, boolean notFound) {
            super(message, null, false, false);
            this.notFound = notFound;
        }
    }

    public Community create(String communityId, Settings s, String actor) {
        try {
            dsl.execute("""
                    insert into community (community_id, name, tier, supplier_state, gstin, pan_status, hold_days, payout_policy,
                        min_payout_paise, fraud_max_payment_paise, fraud_velocity_floor, fraud_velocity_multiplier,
                        beneficiary_cooling_off_hours, source_types, created_by)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    communityId, s.name(), s.tier(), s.supplierState(), s.gstin(), s.panStatus(), s.holdDays(), s.payoutPolicy(),
                    s.minPayoutPaise(), s.fraudMaxPaymentPaise(), s.fraudVelocityFloor(), s.fraudVelocityMultiplier(),
                    s.beneficiaryCoolingOffHours(), sourceTypes(s), actor);
        } catch (IntegrityConstraintViolationException e) {
            throw new Conflict("community '" + communityId + "' exists already", false);
        }
        return find(communityId).orElseThrow();
    }

    public Community update(String communityId, Settings s) {
        int n = dsl.execute("""
                update community set name = ?, tier = ?, supplier_state = ?, gstin = ?, pan_status = ?, hold_days = ?,
                    payout_policy = ?, min_payout_paise = ?, fraud_max_payment_paise = ?, fraud_velocity_floor = ?,
                    fraud_velocity_multiplier = ?, beneficiary_cooling_off_hours = ?, source_types = ?
                 where community_id = ?""",
                s.name(), s.tier(), s.supplierState(), s.gstin(), s.panStatus(), s.holdDays(), s.payoutPolicy(), s.minPayoutPaise(),
                s.fraudMaxPaymentPaise(), s.fraudVelocityFloor(), s.fraudVelocityMultiplier(), s.beneficiaryCoolingOffHours(),
                sourceTypes(s), communityId);
        if (n == 0) throw new Conflict("no community '" + communityId + "'", true);
        return find(communityId).orElseThrow();
    }

    /**
     * Whether the community offers {@code sourceType} (docs/decisions.md D16). An unknown community
     * answers true: that is refused elsewhere, as unknown.
     */
    public boolean offers(String communityId, String sourceType) {
        String[] offered = dsl.fetchOptional("select source_types from community where community_id = ?", communityId)
                .map(r -> r.get(0, String[].class)).orElse(null);
        return offered == null || List.of(offered).contains(sourceType);
    }

    private static org.jooq.Param<String[]> sourceTypes(Settings s) {
        return org.jooq.impl.DSL.val(s.sourceTypes() == null ? null : s.sourceTypes().toArray(String[]::new), String[].class);
    }

    public Optional<Community> find(String communityId) {
        return dsl.fetchOptional("select * from community where community_id = ?", communityId).map(CommunityOnboarding::community);
    }

    /** Communities in id order; {@code scope} null = all, else only those ids. */
    public List<Community> list(Collection<String> scope) {
        if (scope != null && scope.isEmpty()) return List.of();
        return scope == null
                ? dsl.fetch("select * from community order by community_id limit 1000").map(CommunityOnboarding::community)
                : dsl.fetch("select * from community where community_id = any(?) order by community_id", (Object) scope.toArray(String[]::new))
                        .map(CommunityOnboarding::community);
    }

    private static Community community(Record r) {
        return new Community(r.get("community_id", String.class), new Settings(r.get("name", String.class), r.get("tier", String.class),
                r.get("supplier_state", String.class), r.get("gstin", String.class), r.get("pan_status", String.class),
                r.get("hold_days", Integer.class), r.get("payout_policy", String.class), r.get("min_payout_paise", Long.class),
                r.get("fraud_max_payment_paise", Long.class), r.get("fraud_velocity_floor", Integer.class),
                r.get("fraud_velocity_multiplier", Integer.class), r.get("beneficiary_cooling_off_hours", Integer.class),
                r.get("source_types", String[].class) == null ? null : List.of(r.get("source_types", String[].class))),
                r.get("created_by", String.class), r.get("created_at", OffsetDateTime.class));
    }

    /** Adds the next version of the community's split agreement, in force from {@code effectiveFrom}. */
    public Agreement addAgreement(String communityId, Instant effectiveFrom, List<RoleSplit> roles, String note, String actor) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            if (tx.fetchOptional("select 1 from community where community_id = ? for update", communityId).isEmpty()) {
                throw new Conflict("no community '" + communityId + "'", true);
            }
            int version = ((Number) tx.fetchValue("select coalesce(max(version), 0) + 1 from split_agreement where community_id = ?",
                    communityId)).intValue();
            tx.execute("insert into split_agreement (community_id, version, effective_from, roles, note, created_by) values (?, ?, cast(? as timestamptz), cast(? as jsonb), ?, ?)",
                    communityId, version, effectiveFrom.atOffset(ZoneOffset.UTC).toString(), write(roles), note, actor);
            return agreement(tx.fetchOne("select * from split_agreement where community_id = ? and version = ?", communityId, version));
        });
    }

    /** Every version, oldest first. */
    public List<Agreement> agreements(String communityId) {
        return dsl.fetch("select * from split_agreement where community_id = ? order by version", communityId).map(CommunityOnboarding::agreement);
    }

    /** The version in force at {@code at}: the latest effective_from not after it (the highest version on a tie). */
    public Optional<Agreement> agreementAt(String communityId, Instant at) {
        return dsl.fetchOptional("select * from split_agreement where community_id = ? and effective_from <= cast(? as timestamptz)"
                + " order by effective_from desc, version desc limit 1", communityId, at.atOffset(ZoneOffset.UTC).toString()).map(CommunityOnboarding::agreement);
    }

    /** Records which agreement version split a payment; the first record stands (a retried step changes nothing). */
    public void recordPaymentAgreement(String paymentId, String communityId, int version) {
        dsl.execute("insert into payment_split_agreement (payment_id, community_id, agreement_version) values (?, ?, ?)"
                + " on conflict (payment_id) do nothing", paymentId, communityId, version);
    }

    public Optional<Integer> paymentAgreement(String paymentId) {
        return dsl.fetchOptional("select agreement_version from payment_split_agreement where payment_id = ?", paymentId)
                .map(r -> r.get(0, Integer.class));
    }

    private static Agreement agreement(Record r) {
        try {
            return new Agreement(r.get("community_id", String.class), r.get("version", Integer.class),
                    r.get("effective_from", OffsetDateTime.class).toInstant(), JSON.readValue(r.get("roles", JSONB.class).data(), ROLES),
                    r.get("note", String.class), r.get("created_by", String.class), r.get("created_at", OffsetDateTime.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored split agreement is unreadable: " + e.getOriginalMessage(), e);
        }
    }

    private static String write(List<RoleSplit> roles) {
        try {
            return JSON.writeValueAsString(roles);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
