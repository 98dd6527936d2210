package com.commdesk.dev;

import static com.commdesk.dev.CommissionRulesApiTest.JSON;
import static com.commdesk.dev.CommissionRulesApiTest.RULES;
import static com.commdesk.dev.CommissionRulesApiTest.merge;
import static com.commdesk.dev.CommissionRulesApiTest.ok;
import static com.commdesk.dev.CommissionRulesApiTest.problem;
import static com.commdesk.dev.CommissionRulesApiTest.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.cashfree.sim.PaymentMethod;
import com.commdesk.fees.FeeBearer;
import com.commdesk.fees.FeeSchedules;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What-if fee quotes over HTTP: who bears each fee (a convenience fee on top of the ticket price),
 * tiered and memberless roles, GST states, and "which rule would have priced this payment at date D
 * with these attributes, and why not the others". Rules here use their own source types, so no other
 * test's payment can match them.
 */
class FeeQuotesWhatIfApiTest {
    static final String QUOTES = "/api/v1/fee-quotes";

    static JsonNode quote(String json) {
        return ok(SharedStack.post(QUOTES, null, json), 200);
    }

    static String schedule(FeeBearer gateway, FeeBearer platform) {
        return JSON.writeValueAsString(FeeSchedules.recommendedDefault().withBearers(gateway, platform));
    }

    /*
     * ₹10,000 ticket by CARD under recommendedDefault with the customer bearing the gateway fee
     * (fee-engine BearerGoldenTest): convenience fee 20,000 + 3,600 = 23,600, the customer pays
     * 1,023,600; platform fee 84,746 on 847,458; net 757,628.
     */
    @Test
    void aConvenienceFeeOnTopOfTheTicketPrice() {
        JsonNode q = quote("""
                {"ticketPricePaise":1000000,"sourceType":"EVENT","paymentMethod":"CARD","schedule":%s}"""
                .formatted(schedule(FeeBearer.CUSTOMER, FeeBearer.COMMUNITY)));
        assertThat(q.path("amountPaise").asLong()).isEqualTo(1_023_600);
        assertThat(q.path("ticketPricePaise").asLong()).isEqualTo(1_000_000);
        assertThat(q.path("convenienceFeePaise").asLong()).isEqualTo(23_600);
        assertThat(q.path("gatewayFeeBearer").asText()).isEqualTo("CUSTOMER");
        assertThat(q.path("platformFeePaise").asLong()).isEqualTo(84_746);
        assertThat(q.path("netPaise").asLong()).isEqualTo(757_628);
        assertThat(q.path("explanation").isNull()).as("an inline schedule selects no rule").isTrue();
        // the same order amount quoted as what the customer pays must state its ticket price
        problem(SharedStack.post(QUOTES, null, """
                {"amountPaise":1023600,"sourceType":"EVENT","paymentMethod":"CARD","schedule":%s}"""
                .formatted(schedule(FeeBearer.CUSTOMER, FeeBearer.COMMUNITY))), 422, "ticketPricePaise");
        // both given and consistent is fine; inconsistent is refused on amountPaise
        assertThat(quote("""
                {"amountPaise":1023600,"ticketPricePaise":1000000,"sourceType":"EVENT","paymentMethod":"CARD","schedule":%s}"""
                .formatted(schedule(FeeBearer.CUSTOMER, FeeBearer.COMMUNITY))).path("netPaise").asLong()).isEqualTo(757_628);
        problem(SharedStack.post(QUOTES, null, """
                {"amountPaise":1023601,"ticketPricePaise":1000000,"sourceType":"EVENT","paymentMethod":"CARD","schedule":%s}"""
                .formatted(schedule(FeeBearer.CUSTOMER, FeeBearer.COMMUNITY))), 422, "amountPaise");
        // the platform absorbing the gateway fee and waiving its own: net 842,374, the waived fee shown
        JsonNode promo = quote("""
                {"amountPaise":1000000,"sourceType":"EVENT","paymentMethod":"CARD","schedule":%s}"""
                .formatted(schedule(FeeBearer.PLATFORM, FeeBearer.PLATFORM)));
        assertThat(promo.path("netPaise").asLong()).isEqualTo(842_374);
        assertThat(promo.path("platformFeeWaivedPaise").asLong()).isEqualTo(84_746);
        assertThat(promo.path("platformFeePaise").asLong()).isZero();
    }

    /*
     * The seed's tiered event team with a memberless role (a quote may show a role's amount before
     * anyone is in it): net of the inline seed schedule on ₹10,000 is 720,700 (the spec's Example 1);
     * event team 10 % = 72,070; the rest 648,630 → owner 62.5 % 405,393.75, crew 37.5 % 243,236.25
     * → 405,394 / 243,236 (the .75 remainder wins the leftover paisa).
     */
    @Test
    void tieredAndMemberlessRolesInAQuote() {
        JsonNode q = quote("""
                {"amountPaise":1000000,"sourceType":"EVENT","paymentMethod":"CARD","schedule":%s,"roles":[
                  {"role":"owner","shareBps":6250,"members":[{"userId":"u1"}]},
                  {"role":"crew","shareBps":3750},
                  {"role":"event_team","method":"TIERED","tierMode":"MARGINAL",
                   "tiers":[{"fromPaise":0,"rateBps":1000},{"fromPaise":10000000,"rateBps":1500}],"members":[{"userId":"e1"},{"userId":"e2"}]}]}"""
                .formatted(CommissionRulesApiTest.seedSchedule()));
        assertThat(q.path("netPaise").asLong()).isEqualTo(720_700);
        assertThat(q.path("shares")).extracting(s -> s.path("role").asText() + "=" + s.path("amountPaise").asLong())
                .containsExactly("owner=405394", "crew=243236", "event_team=72070");
        assertThat(q.path("shares").get(1).path("members")).isEmpty();
        assertThat(q.path("shares").get(2).path("shareBps").asInt()).isEqualTo(1000);
        assertThat(q.path("shares").get(2).path("members")).extracting(m -> m.path("amountPaise").asLong()).containsExactly(36_035L, 36_035L);
    }

    /* GST heads from state codes: the community's KA against "Karnataka" and "29" is intra-state; an unknown state is 422. */
    @Test
    void gstStatesAreResolvedThroughTheOfficialList() {
        JsonNode intra = quote("""
                {"amountPaise":1000000,"sourceType":"EVENT","paymentMethod":"CARD","communityId":"demo-community","placeOfSupply":"Karnataka"}""");
        assertThat(intra.path("gstHeads").path("igstPaise").asLong()).isZero();
        assertThat(intra.path("gstHeads").path("cgstPaise").asLong() + intra.path("gstHeads").path("sgstPaise").asLong()).isEqualTo(152_542);
        JsonNode inter = quote("""
                {"amountPaise":1000000,"sourceType":"EVENT","paymentMethod":"CARD","supplierState":"29","placeOfSupply":"27AAACB1234C1Z5"}""");
        assertThat(inter.path("gstHeads").path("igstPaise").asLong()).isEqualTo(152_542);
        problem(SharedStack.post(QUOTES, null, """
                {"amountPaise":1000000,"sourceType":"EVENT","paymentMethod":"CARD","communityId":"demo-community","placeOfSupply":"Atlantis"}"""),
                422, "placeOfSupply");
        problem(SharedStack.post(QUOTES, null, """
                {"amountPaise":1000000,"sourceType":"EVENT","paymentMethod":"CARD","supplierState":"XX"}"""), 422, "supplierState");
    }

    /*
     * Three rules for source WHATIF: a standard one (priority 1), a Diwali promotion for the campaign
     * "diwali" effective 2026-10-01..2026-11-15 (priority 5, platform fee waived), and a big-ticket one
     * from ₹1 lakh (priority 3). A quote at a date and with metadata shows which one would have applied.
     */
    @Test
    void whichRuleWouldHaveMatchedAtDateDWithTheseAttributesAndWhyNotTheOthers() {
        String seed = CommissionRulesApiTest.seedSchedule().replace("\"PREMIUM\"", "\"WHATIF\"");
        String waived = JSON.writeValueAsString(JSON.readTree(seed)).replace("\"platformFeeBearer\":\"COMMUNITY\"",
                "\"platformFeeBearer\":\"PLATFORM\"");
        ok(send("POST", RULES, "finance", CommissionRulesApiTest.rule("whatif-standard", 1, """
                {"op":"eq","field":"sourceType","value":"WHATIF"}""", seed, null)), 201);
        ok(send("POST", RULES, "finance", """
                {"ruleId":"whatif-diwali","priority":5,"effectiveFrom":"2026-10-01T00:00:00+05:30","effectiveTo":"2026-11-16T00:00:00+05:30",
                 "condition":{"op":"and","conditions":[{"op":"eq","field":"sourceType","value":"WHATIF"},
                   {"op":"eq","field":"metadata.campaign","value":"diwali"}]},"schedule":%s}""".formatted(waived)), 201);
        ok(send("POST", RULES, "finance", CommissionRulesApiTest.rule("whatif-big", 3, """
                {"op":"and","conditions":[{"op":"eq","field":"sourceType","value":"WHATIF"},
                  {"op":"range","field":"amountPaise","min":10000000}]}""", seed, null)), 201);

        // during Diwali, with the campaign: the promotion (platform fee waived)
        JsonNode diwali = quote("""
                {"amountPaise":1000000,"sourceType":"WHATIF","paymentMethod":"CARD","at":"2026-11-01T10:00:00Z","metadata":{"campaign":"Diwali"}}""");
        assertThat(diwali.path("ruleId").asText()).isEqualTo("whatif-diwali");
        assertThat(diwali.path("at").asText()).isEqualTo("2026-11-01T10:00:00Z");
        assertThat(diwali.path("platformFeePaise").asLong()).isZero();
        assertThat(diwali.path("platformFeeWaivedPaise").asLong()).isEqualTo(80_000);
        JsonNode why = diwali.path("explanation");
        assertThat(why.path("selectedRuleId").asText()).isEqualTo("whatif-diwali");
        assertThat(why.path("candidates")).extracting(c -> c.path("ruleId").asText() + " " + c.path("outcome").asText())
                .containsExactly("whatif-diwali SELECTED", "whatif-big CONDITION_FAILED", "whatif-standard MATCHED_LOWER_PRIORITY");
        assertThat(why.path("candidates").get(1).path("failedCondition").asText()).isEqualTo("condition.conditions[1]");
        assertThat(why.path("candidates").get(1).path("reason").asText()).contains("amountPaise ≥ 10000000").contains("1000000");

        // the same payment after the promotion ended, or without the tag: the standard rule, with the reason
        JsonNode after = quote("""
                {"amountPaise":1000000,"sourceType":"WHATIF","paymentMethod":"CARD","at":"2026-12-01T00:00:00Z","metadata":{"campaign":"diwali"}}""");
        assertThat(after.path("ruleId").asText()).isEqualTo("whatif-standard");
        assertThat(after.path("platformFeePaise").asLong()).isEqualTo(80_000);
        assertThat(after.path("explanation").path("candidates").get(0).path("outcome").asText()).isEqualTo("NOT_EFFECTIVE");
        JsonNode untagged = quote("""
                {"amountPaise":1000000,"sourceType":"WHATIF","paymentMethod":"CARD","at":"2026-11-01T10:00:00Z"}""");
        assertThat(untagged.path("explanation").path("candidates").get(0).path("reason").asText())
                .isEqualTo("metadata.campaign = diwali, but metadata.campaign is absent");
        // a big ticket in November with the tag: the promotion still wins on priority
        JsonNode big = quote("""
                {"amountPaise":20000000,"sourceType":"WHATIF","paymentMethod":"CARD","at":"2026-11-01T10:00:00Z","metadata":{"campaign":"diwali"}}""");
        assertThat(big.path("explanation").path("candidates")).extracting(c -> c.path("outcome").asText())
                .containsExactly("SELECTED", "MATCHED_LOWER_PRIORITY", "MATCHED_LOWER_PRIORITY");
        // other source types' rules cannot match and are only counted
        assertThat(big.path("explanation").path("otherRules").asInt()).isGreaterThanOrEqualTo(0);
        // no rule at all for this source: the default preset, nothing selected
        JsonNode none = quote("""
                {"amountPaise":1000000,"sourceType":"EVENT","paymentMethod":"CARD","at":"2020-01-01T00:00:00Z"}""");
        assertThat(none.path("scheduleSource").asText()).isEqualTo("default");
        assertThat(none.path("explanation").path("selectedRuleId").isNull()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            neither amount              | {"amountPaise":null}                                    | 400 | amountPaise
            ticket price 0              | {"ticketPricePaise":0}                                  | 400 | ticketPricePaise
            at not an instant           | {"at":"next tuesday"}                                   | 400 | at
            at a number                 | {"at":5}                                                | 400 | at
            metadata not an object      | {"metadata":"campaign"}                                 | 400 | metadata
            metadata value a number     | {"metadata":{"campaign":5}}                             | 400 | metadata.campaign
            metadata key too long       | {"metadata":{"kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk":"v"}} | 422 | metadata
            unknown field               | {"when":"2026-01-01T00:00:00Z"}                         | 400 | when
            unknown bearer              | {"schedule":{"gatewayFeeBearer":"NOBODY"}}              | 400 | schedule.gatewayFeeBearer
            unknown share method        | {"roles":[{"role":"o","method":"LOTTERY","shareBps":10000}]} | 400 | roles[0].method
            tiers out of order          | {"roles":[{"role":"o","shareBps":10000},{"role":"t","method":"TIERED","tierMode":"SLAB","tiers":[{"fromPaise":0,"rateBps":100},{"fromPaise":0,"rateBps":200}]}]} | 422 | roles[1].tiers[1].fromPaise
            tier without a rate         | {"roles":[{"role":"o","shareBps":10000},{"role":"t","method":"TIERED","tierMode":"SLAB","tiers":[{"fromPaise":0}]}]} | 400 | roles[1].tiers[0].rateBps
            no PERCENT role             | {"roles":[{"role":"f","method":"FIXED","fixedPaise":100}]} | 422 | roles
            fixed role above the net    | {"roles":[{"role":"o","shareBps":10000},{"role":"f","method":"FIXED","fixedPaise":100000000}]} | 422 | roles
            outside the fee bounds      | {"schedule":{"platformFeeBySource":{"EVENT":{"rate":{"rateBps":2500,"fixedPaise":0}}}}} | 422 | schedule.platformFee.EVENT.rate.rateBps
            fixed part above the bound  | {"schedule":{"platformFeeBySource":{"EVENT":{"rate":{"rateBps":1000,"fixedPaise":100}}}}} | 422 | schedule.platformFee.EVENT.rate.fixedPaise
            """)
    void badWhatIfInputIsAProblemNamingTheField(String name, String patch, int status, String field) {
        ObjectNode base = (ObjectNode) JSON.readTree("""
                {"amountPaise":1000000,"sourceType":"EVENT","paymentMethod":"CARD","schedule":%s}""".formatted(CommissionRulesApiTest.seedSchedule()));
        merge(base, JSON.readTree(patch));
        problem(SharedStack.post(QUOTES, null, JSON.writeValueAsString(base)), status, field);
    }

    /*
     * End to end: a stored rule makes the customer bear the gateway fee for source CONVFEE. The client
     * quotes the ticket (₹10,000) to learn the order amount, creates the Cashfree order for it, and pays;
     * the payment states its ticket price (order tag ticket_price_paise). The ledger records the
     * convenience fee and who bore what. recommendedDefault with CARD: convenience fee 23,600, platform
     * fee 84,746 on 847,458, net 757,628.
     */
    @Test
    void aConvenienceFeePaymentEndToEnd() throws Exception {
        String schedule = JSON.writeValueAsString(FeeSchedules.recommendedDefault().withBearers(FeeBearer.CUSTOMER, FeeBearer.COMMUNITY))
                .replace("\"PREMIUM\"", "\"CONVFEE\"");
        ok(send("POST", RULES, "finance", CommissionRulesApiTest.rule("convfee-customer", 10, """
                {"op":"eq","field":"sourceType","value":"CONVFEE"}""", schedule,
                "[{\"role\":\"owner\",\"shareBps\":10000,\"members\":[{\"userId\":\"u-owner\"}]}]")), 201);
        JsonNode q = quote("""
                {"ticketPricePaise":1000000,"sourceType":"CONVFEE","paymentMethod":"CARD","communityId":"demo-community"}""");
        long amount = q.path("amountPaise").asLong();
        assertThat(amount).isEqualTo(1_023_600);
        assertThat(q.path("ruleId").asText()).isEqualTo("convfee-customer");

        SharedStack.get().simulator().createPaidOrder("convfee_order_1", amount, "INR", Map.of("community_id", "demo-community"),
                PaymentMethod.CARD);
        var created = SharedStack.post("/api/v1/payments", "convfee-pay-1", """
                {"communityId":"demo-community","sourceType":"CONVFEE","cashfreeOrderId":"convfee_order_1","amountPaise":%d,
                 "metadata":{"ticket_price_paise":"1000000"}}""".formatted(amount));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        JsonNode view = EndToEndPaymentTest.awaitFinal("convfee-pay-1");
        assertThat(view.path("stage").asText()).as(view.toString()).isEqualTo("COMPLETED");
        assertThat(view.path("breakdown").path("convenienceFeePaise").asLong()).isEqualTo(23_600);
        assertThat(view.path("breakdown").path("netPaise").asLong()).isEqualTo(757_628);

        var db = SharedStack.db().dsl();
        var row = db.fetchOne("select gross_amount_paise, convenience_fee_paise, gateway_fee_bearer, platform_fee_bearer, net_revenue_paise "
                + "from revenue_transaction where idempotency_key = 'convfee-pay-1'");
        assertThat(row.get("gross_amount_paise", Long.class)).isEqualTo(1_023_600L);
        assertThat(row.get("convenience_fee_paise", Long.class)).isEqualTo(23_600L);
        assertThat(row.get("gateway_fee_bearer", String.class)).isEqualTo("CUSTOMER");
        assertThat(row.get("net_revenue_paise", Long.class)).isEqualTo(757_628L);
        // the journal: the convenience fee passed through its clearing account into the gateway recovery
        long clearing = ((Number) db.fetchValue("""
                select coalesce(sum(p.amount_paise), 0) from posting p join ledger_account a using (account_id)
                  join revenue_transaction t on t.journal_id = p.journal_id
                 where a.code = 'convenience_fee_clearing' and t.idempotency_key = 'convfee-pay-1' and p.amount_paise < 0""")).longValue();
        assertThat(clearing).isEqualTo(-23_600);
    }
}
