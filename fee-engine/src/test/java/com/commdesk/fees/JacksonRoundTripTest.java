package com.commdesk.fees;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.fees.rules.CommissionRule;
import com.commdesk.fees.rules.Condition;
import com.commdesk.fees.rules.FeeQuote;
import com.commdesk.fees.rules.PaymentAttributes;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The public types travel through Temporal (Jackson 2) and into JSON columns: prove they round-trip
 * with an ObjectMapper configured like Temporal's default JacksonJsonPayloadConverter, and that the
 * helper methods on records (total(), deductionsPaise(), …) do not leak into the JSON.
 */
class JacksonRoundTripTest {

    static ObjectMapper temporalLike() {
        ObjectMapper m = new ObjectMapper();
        m.configure(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE, false);
        m.configure(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, false);
        m.registerModule(new JavaTimeModule());
        m.registerModule(new Jdk8Module());
        // Temporal turns this off; keep it ON here so an extra/unknown property would fail the test.
        m.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        return m;
    }

    final ObjectMapper json = temporalLike();

    <T> T roundTrip(T value, TypeReference<T> type) throws Exception {
        String text = json.writeValueAsString(value);
        T back = json.readValue(text, type);
        assertThat(back).as(text).isEqualTo(value);
        return back;
    }

    static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) out.add(it.next());
        return out;
    }

    @Test
    void schedulesFactsBreakdownsAndSplits() throws Exception {
        FeeSchedule tiered = ScheduleBuilder.from(FeeSchedules.recommendedDefault()).tiers("EVENT", TierMode.MARGINAL,
                new FeeTier(0, 1000, 0), new FeeTier(100_000, 800, 50)).build();
        for (FeeSchedule s : List.of(FeeSchedules.seedExamples(), FeeSchedules.recommendedDefault(), tiered)) {
            roundTrip(s, new TypeReference<FeeSchedule>() {});
        }
        PaymentFacts facts = new PaymentFacts(1_000_000, "EVENT", "CARD", "KA", "KA");
        roundTrip(facts, new TypeReference<PaymentFacts>() {});
        FeeBreakdown b = FeeEngine.calculate(facts, FeeSchedules.recommendedDefault());
        roundTrip(b, new TypeReference<FeeBreakdown>() {});
        assertThat(fieldNames(json.valueToTree(b))).containsExactly("amountPaise", "gstPaise", "gatewayFeePaise", "gatewayFeeGstPaise",
                "platformFeePaise", "platformFeeGstPaise", "tcsPaise", "tdsPaise", "netPaise", "gstHeads", "gatewayGstHeads",
                "platformGstHeads", "platformFeeGst", "scheduleName", "platformFeeRateBps", "ticketPricePaise", "convenienceFeePaise",
                "gatewayFeeBearer", "platformFeeBearer", "platformFeeWaivedPaise");
        assertThat(fieldNames(json.valueToTree(b.gstHeads()))).containsExactly("cgstPaise", "sgstPaise", "igstPaise");
        assertThat(fieldNames(json.valueToTree(facts))).containsExactly("amountPaise", "sourceType", "paymentMethod", "supplierState",
                "placeOfSupply", "ticketPricePaise");
        FeeSchedule bearers = FeeSchedules.recommendedDefault().withBearers(FeeBearer.CUSTOMER, FeeBearer.PLATFORM);
        roundTrip(bearers, new TypeReference<FeeSchedule>() {});
        roundTrip(FeeEngine.calculate(new PaymentFacts(1_023_600, "EVENT", "CARD", "KA", "KA", 1_000_000L), bearers),
                new TypeReference<FeeBreakdown>() {});
        roundTrip(GoldenExamplesTest.SPEC_ROLES, new TypeReference<List<RoleSplit>>() {});
        List<RoleAllocation> shares = SplitEngine.splitRevenueAcrossRoles(b.netPaise(), GoldenExamplesTest.SPEC_ROLES);
        roundTrip(shares, new TypeReference<List<RoleAllocation>>() {});
        roundTrip(new FeeQuote(b, shares, "rule-1", 3), new TypeReference<FeeQuote>() {});
        FeeSchedule s = FeeSchedules.recommendedDefault();
        roundTrip(FeeEngine.calculateGatewayFees(1_000, 0, "CARD", s), new TypeReference<GatewayFees>() {});
        roundTrip(FeeEngine.calculatePlatformFee(1_000, "EVENT", s), new TypeReference<PlatformFee>() {});
        roundTrip(FeeEngine.calculateWithholding(1_000, s), new TypeReference<Withholding>() {});
        assertThat(json.writeValueAsString(Rounding.RUPEE_FLOOR)).isEqualTo("{\"unit\":\"RUPEE\",\"mode\":\"FLOOR\"}");
        assertThat(json.writeValueAsString(PlatformFeeRule.flat(1000))).isEqualTo("{\"rate\":{\"rateBps\":1000,\"fixedPaise\":0},\"tiers\":[],\"tierMode\":null}");
    }

    /**
     * Payloads recorded before bearers existed (workflow histories, stored rule schedules) have none of
     * the new fields: they read as "the community bore everything, the amount is the ticket price".
     */
    @Test
    void payloadsWithoutBearersReadAsCommunityBorne() throws Exception {
        FeeBreakdown b = FeeEngine.calculate(new PaymentFacts(1_000_000, "EVENT", "CARD", "KA", "KA"), FeeSchedules.recommendedDefault());
        var tree = (com.fasterxml.jackson.databind.node.ObjectNode) json.valueToTree(b);
        tree.remove(List.of("ticketPricePaise", "convenienceFeePaise", "gatewayFeeBearer", "platformFeeBearer", "platformFeeWaivedPaise"));
        assertThat(json.treeToValue(tree, FeeBreakdown.class)).isEqualTo(b);
        var schedule = (com.fasterxml.jackson.databind.node.ObjectNode) json.valueToTree(FeeSchedules.seedExamples());
        schedule.remove(List.of("gatewayFeeBearer", "platformFeeBearer"));
        assertThat(json.treeToValue(schedule, FeeSchedule.class)).isEqualTo(FeeSchedules.seedExamples());
        var facts = (com.fasterxml.jackson.databind.node.ObjectNode) json.valueToTree(new PaymentFacts(5, "EVENT", "UPI", null, null));
        facts.remove("ticketPricePaise");
        assertThat(json.treeToValue(facts, PaymentFacts.class)).isEqualTo(new PaymentFacts(5, "EVENT", "UPI", null, null));
    }

    @Test
    void paymentAttributes() throws Exception {
        roundTrip(new PaymentAttributes("EVENT", "c1", "gold", "UPI", 5, LocalDate.of(2026, 11, 14), Map.of("k", "v")),
                new TypeReference<PaymentAttributes>() {});
        assertThat(json.writeValueAsString(new PaymentAttributes(null, null, null, null, 1, LocalDate.of(2026, 1, 2), null)))
                .contains("\"paymentDate\":\"2026-01-02\"").contains("\"metadata\":{}");
    }

    /** How another module stores a CommissionRule with Jackson: a mix-in names the Condition subtypes (the engine has no Jackson dependency). */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "op")
    @JsonSubTypes({
            @JsonSubTypes.Type(value = Condition.Always.class, name = "always"),
            @JsonSubTypes.Type(value = Condition.Eq.class, name = "eq"),
            @JsonSubTypes.Type(value = Condition.In.class, name = "in"),
            @JsonSubTypes.Type(value = Condition.Range.class, name = "range"),
            @JsonSubTypes.Type(value = Condition.DateRange.class, name = "dateRange"),
            @JsonSubTypes.Type(value = Condition.Regex.class, name = "regex"),
            @JsonSubTypes.Type(value = Condition.And.class, name = "and"),
            @JsonSubTypes.Type(value = Condition.Or.class, name = "or"),
            @JsonSubTypes.Type(value = Condition.Not.class, name = "not")})
    interface ConditionMixIn {}

    @Test
    void commissionRuleWithAMixIn() throws Exception {
        json.addMixIn(Condition.class, ConditionMixIn.class);
        Condition c = Condition.and(Condition.eq("sourceType", "EVENT"), Condition.in("communityId", "a", "b"),
                new Condition.Range("amountPaise", 1L, null), new Condition.DateRange("paymentDate", LocalDate.of(2026, 1, 1), null),
                new Condition.Regex("metadata.x", "y.*"), Condition.or(Condition.not(Condition.always()), Condition.always()));
        CommissionRule rule = new CommissionRule("r1", 2, 10, Instant.parse("2026-01-01T00:00:00Z"), null, c,
                FeeSchedules.seedExamples(), GoldenExamplesTest.SPEC_ROLES);
        roundTrip(rule, new TypeReference<CommissionRule>() {});
        String text = json.writeValueAsString(rule);
        assertThat(text).contains("\"effectiveFrom\":\"2026-01-01T00:00:00Z\"").contains("{\"op\":\"always\"}");
    }
}
