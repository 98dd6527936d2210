package com.commdesk.fees;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every operation and mode of the fee flow, on hand-checked numbers (computations in the comments). */
class FeeEngineTest {

    static PaymentFacts pay(long paise, String source, String method) {
        return new PaymentFacts(paise, source, method, null, null);
    }

    static void assertBalances(FeeBreakdown b) {
        long onTop = b.platformFeeGst() == PlatformFeeGst.ON_TOP ? b.platformFeeGstPaise() : 0;
        assertThat(b.gstPaise() + b.gatewayFeePaise() + b.gatewayFeeGstPaise() + b.platformFeePaise() + onTop
                + b.tcsPaise() + b.tdsPaise() + b.netPaise()).isEqualTo(b.amountPaise());
    }

    static void assertField(ThrowingCallable call, String field) {
        assertThatThrownBy(call).isInstanceOfSatisfying(FeeValidationException.class,
                e -> assertThat(e.field()).as(e.getMessage()).isEqualTo(field));
    }

    @Nested
    class Gst {
        /*
         * ₹118 = 11,800 paise at 18 %:
         *   ON_GROSS  11,800 × 1800 / 10000 = 2,124
         *   INCLUSIVE 11,800 × 1800 / 11800 = 1,800 (the ₹18 inside ₹118)
         *   EXEMPT    0
         * ₹1 = 100 paise INCLUSIVE: 100 × 1800 / 11800 = 15.25… → 15 (HALF_UP)
         * ₹10,000 INCLUSIVE: 1,000,000 × 18 / 118 = 152,542.37… → 152,542 (FACTS.md: 1,525.42)
         */
        @ParameterizedTest(name = "{0} on {1} paise → {2}")
        @CsvSource({"ON_GROSS, 11800, 2124", "INCLUSIVE, 11800, 1800", "EXEMPT, 11800, 0",
                "INCLUSIVE, 100, 15", "INCLUSIVE, 1000000, 152542", "ON_GROSS, 1, 0", "INCLUSIVE, 1000000000000, 152542372881"})
        void gstMethods(GstMethod method, long amount, long expected) {
            FeeSchedule s = ScheduleBuilder.plain().gst(method, 1800).build();
            assertThat(FeeEngine.calculateGst(amount, s)).isEqualTo(expected);
            FeeBreakdown b = FeeEngine.calculate(pay(amount, "EVENT", "UPI"), s);
            assertThat(b.gstPaise()).isEqualTo(expected);
            assertBalances(b);
        }

        /* 10^12 × 1800 / 11800 = 152,542,372,881.35… → 152,542,372,881: the largest amount does not overflow. */
        @Test
        void largestAmountUnderEveryPresetBalances() {
            for (FeeSchedule s : new FeeSchedule[] {FeeSchedules.seedExamples(), FeeSchedules.recommendedDefault()}) {
                assertBalances(FeeEngine.calculate(pay(Limits.MAX_AMOUNT_PAISE, "SPONSOR", "CARD"), s));
            }
        }
    }

    @Nested
    class GatewayFee {
        /*
         * amount 100,000, ON_GROSS 18 % → GST 18,000. CARD 200 bps + 300 paise fixed, 18 % GST on the fee:
         *   AFTER_GST: base 82,000 → 1,640 + 300 = 1,940; GST 1,940 × 0.18 = 349.2 → 349
         *   GROSS:     base 100,000 → 2,000 + 300 = 2,300; GST 2,300 × 0.18 = 414
         */
        @ParameterizedTest
        @CsvSource({"AFTER_GST, 82000, 1940, 349", "GROSS, 100000, 2300, 414"})
        void bases(GatewayFeeBase base, long expectedBase, long fee, long gst) {
            FeeSchedule s = ScheduleBuilder.plain().gst(GstMethod.ON_GROSS, 1800).gatewayBase(base).gateway("CARD", 200, 300).build();
            GatewayFees g = FeeEngine.calculateGatewayFees(100_000, 18_000, "CARD", s);
            assertThat(g).isEqualTo(new GatewayFees("CARD", expectedBase, 200, 300, fee, gst));
            FeeBreakdown b = FeeEngine.calculate(pay(100_000, "EVENT", "CARD"), s);
            assertThat(b.gatewayFeePaise()).isEqualTo(fee);
            assertThat(b.gatewayFeeGstPaise()).isEqualTo(gst);
            assertBalances(b);
        }

        /*
         * GST on the ROUNDED fee: amount 1,234,567 GROSS at 190 bps = 23,456.773 → 23,457 (HALF_UP);
         * GST = 23,457 × 0.18 = 4,222.26 → 4,222. (On the exact fee it would be 4,222.219… → 4,222 too,
         * so also check RUPEE/FLOOR: fee 23,400; GST 23,400 × 0.18 = 4,212 → 4,200.)
         */
        @Test
        void gstIsOnTheRoundedFee() {
            ScheduleBuilder sb = ScheduleBuilder.plain().gatewayBase(GatewayFeeBase.GROSS).gateway("NETBANKING", 190, 0);
            GatewayFees paise = FeeEngine.calculateGatewayFees(1_234_567, 0, "NETBANKING", sb.build());
            assertThat(paise.feePaise()).isEqualTo(23_457);
            assertThat(paise.gstPaise()).isEqualTo(4_222);
            GatewayFees rupee = FeeEngine.calculateGatewayFees(1_234_567, 0, "NETBANKING",
                    sb.rounding(RoundingUnit.RUPEE, RoundingMode.FLOOR).build());
            assertThat(rupee.feePaise()).isEqualTo(23_400);
            assertThat(rupee.gstPaise()).isEqualTo(4_200);
        }

        @Test
        void methodLookupIsCaseInsensitiveAndUnknownMethodsAreRejected() {
            FeeSchedule s = FeeSchedules.recommendedDefault();
            assertThat(FeeEngine.calculate(pay(100_000, "event", "card"), s))
                    .isEqualTo(FeeEngine.calculate(pay(100_000, "EVENT", "CARD"), s));
            assertField(() -> FeeEngine.calculate(pay(100_000, "EVENT", "CRYPTO"), s), "paymentMethod");
            assertField(() -> FeeEngine.calculateGatewayFees(100_000, 0, "PAYPAL", s), "paymentMethod");
        }

        /* UPI at 0 bps, no fixed part: no gateway charge at all (recommendedDefault's illustrative UPI rate). */
        @Test
        void upiIsFreeInTheRecommendedCard() {
            FeeBreakdown b = FeeEngine.calculate(pay(1_000_000, "EVENT", "UPI"), FeeSchedules.recommendedDefault());
            assertThat(b.gatewayFeePaise()).isZero();
            assertThat(b.gatewayFeeGstPaise()).isZero();
            assertThat(b.gatewayGstHeads()).isEqualTo(GstHeads.ZERO);
        }
    }

    @Nested
    class PlatformFeeTests {
        /*
         * EXEMPT, UPI free → platform base = amount = 100,000; EVENT 10 % → fee 10,000.
         *   INCLUDED: GST = 10,000 × 1800 / 11800 = 1,525.42 → 1,525, inside the fee; net = 100,000 − 10,000 = 90,000
         *   ON_TOP:   GST = 10,000 × 0.18 = 1,800, on top;               net = 100,000 − 10,000 − 1,800 = 88,200
         */
        @ParameterizedTest
        @CsvSource({"INCLUDED, 1525, 90000, 8475", "ON_TOP, 1800, 88200, 10000"})
        void gstIncludedOrOnTop(PlatformFeeGst mode, long gst, long net, long revenueExGst) {
            FeeSchedule s = ScheduleBuilder.plain().platformGst(mode, 1800).build();
            FeeBreakdown b = FeeEngine.calculate(pay(100_000, "EVENT", "UPI"), s);
            assertThat(b.platformFeePaise()).isEqualTo(10_000);
            assertThat(b.platformFeeGstPaise()).isEqualTo(gst);
            assertThat(b.netPaise()).isEqualTo(net);
            assertThat(b.platformRevenueExGstPaise()).isEqualTo(revenueExGst);
            assertThat(b.platformFeeGst()).isEqualTo(mode);
            assertBalances(b);
            PlatformFee p = FeeEngine.calculatePlatformFee(100_000, "EVENT", s);
            assertThat(p.feePaise()).isEqualTo(10_000);
            assertThat(p.gstPaise()).isEqualTo(gst);
            assertThat(p.deductedPaise()).isEqualTo(100_000 - net);
        }

        /*
         * Tiers: [0, 100,000) 10 %; [100,000, 1,000,000) 8 %; [1,000,000, ∞) 6 % + ₹5 fixed. Base = amount (EXEMPT, UPI free).
         * SLAB (whole base at its band's rate):
         *   50,000    → band 0: 5,000
         *   99,999    → band 0: 9,999.9 → 10,000
         *   100,000   → band 1: 8,000
         *   250,000   → band 1: 20,000
         *   2,000,000 → band 2: 120,000 + 500 = 120,500
         * MARGINAL (each band's portion at its rate, the base's band's fixed once):
         *   50,000    → 5,000
         *   99,999    → 9,999.9 → 10,000
         *   100,000   → 100,000 × 10 % = 10,000 (band 1 portion 0)
         *   123,457   → 10,000 + 23,457 × 8 % = 10,000 + 1,876.56 = 11,876.56 → 11,877
         *   250,000   → 10,000 + 150,000 × 8 % = 22,000
         *   2,000,000 → 10,000 + 900,000 × 8 % + 1,000,000 × 6 % + 500 = 10,000 + 72,000 + 60,000 + 500 = 142,500
         */
        @ParameterizedTest(name = "{0} on {1} → {2} at {3} bps")
        @CsvSource({
                "SLAB, 50000, 5000, 1000", "SLAB, 99999, 10000, 1000", "SLAB, 100000, 8000, 800",
                "SLAB, 250000, 20000, 800", "SLAB, 2000000, 120500, 600",
                "MARGINAL, 50000, 5000, 1000", "MARGINAL, 99999, 10000, 1000", "MARGINAL, 100000, 10000, 800",
                "MARGINAL, 123457, 11877, 800", "MARGINAL, 250000, 22000, 800", "MARGINAL, 2000000, 142500, 600"})
        void tiers(TierMode mode, long base, long fee, int rate) {
            FeeSchedule s = ScheduleBuilder.plain().tiers("EVENT", mode,
                    new FeeTier(0, 1000, 0), new FeeTier(100_000, 800, 0), new FeeTier(1_000_000, 600, 500)).build();
            PlatformFee p = FeeEngine.calculatePlatformFee(base, "EVENT", s);
            assertThat(p.feePaise()).isEqualTo(fee);
            assertThat(p.rateBps()).isEqualTo(rate);
            FeeBreakdown b = FeeEngine.calculate(pay(base, "EVENT", "UPI"), s);
            assertThat(b.platformFeePaise()).isEqualTo(fee);
            assertThat(b.platformFeeRateBps()).isEqualTo(rate);
            assertBalances(b);
        }

        /* Flat rate with a fixed part: 100,000 × 5 % + 1,000 = 6,000. */
        @Test
        void flatWithFixed() {
            FeeSchedule s = ScheduleBuilder.plain().platform("WORKSHOP", new PlatformFeeRule(new FeeRate(500, 1_000), null, null)).build();
            assertThat(FeeEngine.calculate(pay(100_000, "workshop", "UPI"), s).platformFeePaise()).isEqualTo(6_000);
        }

        @Test
        void unknownSourceIsRejected() {
            assertField(() -> FeeEngine.calculate(pay(100_000, "DONATION", "UPI"), FeeSchedules.recommendedDefault()), "sourceType");
        }
    }

    @Nested
    class Withholdings {
        /*
         * ₹1,000 = 100,000 ON_GROSS 18 % → taxable 82,000: TCS 0.5 % = 410, TDS 0.1 % = 82.
         * EXEMPT → taxable 100,000: TCS 500, TDS 100.
         * TCS 1 % / TDS 1 % on taxable 12,345 (EXEMPT): 123.45 → 123 each (HALF_UP).
         */
        @ParameterizedTest
        @CsvSource({"ON_GROSS, 100000, 50, 10, 410, 82", "EXEMPT, 100000, 50, 10, 500, 100", "EXEMPT, 12345, 100, 100, 123, 123"})
        void tcsAndTdsOnAmountLessGst(GstMethod m, long amount, int tcsBps, int tdsBps, long tcs, long tds) {
            FeeSchedule s = ScheduleBuilder.plain().gst(m, 1800).withholding(tcsBps, tdsBps).build();
            FeeBreakdown b = FeeEngine.calculate(pay(amount, "EVENT", "UPI"), s);
            assertThat(b.tcsPaise()).isEqualTo(tcs);
            assertThat(b.tdsPaise()).isEqualTo(tds);
            assertBalances(b);
            assertThat(FeeEngine.calculateWithholding(amount - b.gstPaise(), s)).isEqualTo(new Withholding(amount - b.gstPaise(), tcs, tds));
        }
    }

    @Nested
    class Heads {
        /*
         * 1,000,005 ON_GROSS 18 % = 180,000.9 → 180,001 (odd): intra-state SGST = floor(180,001 / 2) = 90,000, CGST = 90,001.
         * Gateway (recommended CARD, GROSS 2 %): 20,000.1 → 20,000; GST 3,600 → 1,800 + 1,800.
         * Platform: base 1,000,005 − 180,001 − 20,000 − 3,600 = 796,404; 10 % = 79,640.4 → 79,640;
         *   GST 79,640 × 18/118 = 12,148.47… → 12,148 → CGST 6,074 + SGST 6,074.
         */
        @Test
        void intraStateSplitsCgstSgstEverywhere() {
            FeeSchedule s = ScheduleBuilder.from(FeeSchedules.recommendedDefault()).gst(GstMethod.ON_GROSS, 1800).build();
            FeeBreakdown b = FeeEngine.calculate(new PaymentFacts(1_000_005, "EVENT", "CARD", "KA", " ka "), s);
            assertThat(b.gstPaise()).isEqualTo(180_001);
            assertThat(b.gstHeads()).isEqualTo(new GstHeads(90_001, 90_000, 0));
            assertThat(b.gatewayGstHeads()).isEqualTo(new GstHeads(1_800, 1_800, 0));
            assertThat(b.platformFeeGstPaise()).isEqualTo(12_148);
            assertThat(b.platformGstHeads()).isEqualTo(new GstHeads(6_074, 6_074, 0));
            assertThat(b.gstHeads().total()).isEqualTo(b.gstPaise());
            assertBalances(b);
        }

        @ParameterizedTest
        @CsvSource(value = {"KA, MH", "KA, NULL", "NULL, KA", "NULL, NULL", "'  ', '  '"}, nullValues = "NULL")
        void otherwiseAllIgst(String supplier, String place) {
            FeeBreakdown b = FeeEngine.calculate(new PaymentFacts(1_000_005, "EVENT", "CARD", supplier, place),
                    FeeSchedules.recommendedDefault());
            assertThat(b.gstHeads()).isEqualTo(new GstHeads(0, 0, b.gstPaise()));
            assertThat(b.gatewayGstHeads()).isEqualTo(new GstHeads(0, 0, b.gatewayFeeGstPaise()));
            assertThat(b.platformGstHeads()).isEqualTo(new GstHeads(0, 0, b.platformFeeGstPaise()));
        }

        @Test
        void headsHelper() {
            assertThat(FeeEngine.gstHeads(1, "ka", "KA")).isEqualTo(new GstHeads(1, 0, 0));
            assertThat(FeeEngine.gstHeads(0, "ka", "KA")).isEqualTo(GstHeads.ZERO);
            assertThat(FeeEngine.gstHeads(7, "ka", "tn")).isEqualTo(new GstHeads(0, 0, 7));
            assertField(() -> FeeEngine.gstHeads(-1, null, null), "taxPaise");
        }
    }

    @Nested
    class RoundingInTheFlow {
        /*
         * Example 1 under RUPEE/CEILING (else seedExamples()):
         *   GST 180,000; gateway 16,400; gw GST 2,952 → 3,000; base 1,000,000 − 180,000 − 16,400 − 3,000 = 800,600;
         *   platform 80,060 → 80,100; plat GST 80,100 × 18/118 = 12,218.64 → 12,300; net 800,600 − 80,100 = 720,500.
         * Under RUPEE/HALF_UP: gw GST 2,952 → 3,000; base 800,600; platform 80,060 → 80,100; net 720,500.
         * Under RUPEE/HALF_EVEN: same as HALF_UP (no exact .50 rupee here).
         * Under PAISE/FLOOR: gw GST 2,952; base 800,648; platform 80,064.8 → 80,064; net 720,584.
         * Under PAISE/CEILING: platform 80,065; net 720,583.
         */
        @ParameterizedTest(name = "{0}/{1} → gwGst {2}, platform {3}, net {4}")
        @CsvSource({"RUPEE, CEILING, 3000, 80100, 720500", "RUPEE, HALF_UP, 3000, 80100, 720500",
                "RUPEE, HALF_EVEN, 3000, 80100, 720500", "RUPEE, FLOOR, 2900, 80000, 720700",
                "PAISE, FLOOR, 2952, 80064, 720584", "PAISE, CEILING, 2952, 80065, 720583",
                "PAISE, HALF_UP, 2952, 80065, 720583", "PAISE, HALF_EVEN, 2952, 80065, 720583"})
        void example1UnderEachRounding(RoundingUnit unit, RoundingMode mode, long gwGst, long platform, long net) {
            FeeSchedule s = ScheduleBuilder.from(FeeSchedules.seedExamples()).rounding(unit, mode).build();
            FeeBreakdown b = FeeEngine.calculate(pay(1_000_000, "EVENT", "CARD"), s);
            assertThat(b.gatewayFeeGstPaise()).isEqualTo(gwGst);
            assertThat(b.platformFeePaise()).isEqualTo(platform);
            assertThat(b.netPaise()).isEqualTo(net);
            if (unit == RoundingUnit.RUPEE) {
                assertThat(java.util.List.of(b.gstPaise(), b.gatewayFeePaise(), b.gatewayFeeGstPaise(), b.platformFeePaise(),
                        b.platformFeeGstPaise(), b.tcsPaise(), b.tdsPaise())).allMatch(x -> x % 100 == 0);
            }
            assertBalances(b);
        }

        /* Ties at a paisa: 10 % of 105 = 10.5 → HALF_EVEN 10, HALF_UP 11; of 115 = 11.5 → both 12. */
        @ParameterizedTest
        @CsvSource({"105, HALF_EVEN, 10", "105, HALF_UP, 11", "115, HALF_EVEN, 12", "115, HALF_UP, 12",
                "105, FLOOR, 10", "105, CEILING, 11"})
        void paiseTies(long amount, RoundingMode mode, long fee) {
            FeeSchedule s = ScheduleBuilder.plain().rounding(RoundingUnit.PAISE, mode).build();
            assertThat(FeeEngine.calculate(pay(amount, "EVENT", "UPI"), s).platformFeePaise()).isEqualTo(fee);
        }
    }

    @Nested
    class Validation {
        @ParameterizedTest
        @CsvSource({"0", "-1", "1000000000001"})
        void amountOutOfRange(long amount) {
            assertField(() -> FeeEngine.calculate(pay(amount, "EVENT", "CARD"), FeeSchedules.recommendedDefault()), "amountPaise");
            assertField(() -> FeeEngine.calculateGst(amount, FeeSchedules.recommendedDefault()), "amountPaise");
        }

        @Test
        void factsFields() {
            FeeSchedule s = FeeSchedules.recommendedDefault();
            assertField(() -> FeeEngine.calculate(null, s), "facts");
            assertField(() -> FeeEngine.calculate(pay(100, " ", "CARD"), s), "sourceType");
            assertField(() -> FeeEngine.calculate(pay(100, "EVENT", null), s), "paymentMethod");
            assertField(() -> FeeEngine.calculate(new PaymentFacts(100, "EVENT", "CARD", "x".repeat(129), null), s), "supplierState");
            assertField(() -> FeeEngine.calculate(pay(100, "EVENT", "CARD"), null), "schedule");
        }

        /* A ₹10 fixed gateway fee on a ₹5 payment: 500 − 1,000 − 180 < 0 → the amount does not cover the deductions. */
        @Test
        void deductionsExceedingTheAmount() {
            FeeSchedule s = ScheduleBuilder.plain().gateway("UPI", 0, 1_000).build();
            assertField(() -> FeeEngine.calculate(pay(500, "EVENT", "UPI"), s), "amountPaise");
            // one paisa under RUPEE/CEILING: GST 18 % of 1 paisa rounds up to ₹1 = 100 paise > 1
            FeeSchedule ceiling = ScheduleBuilder.from(FeeSchedules.seedExamples()).rounding(RoundingUnit.RUPEE, RoundingMode.CEILING).build();
            assertField(() -> FeeEngine.calculate(pay(1, "EVENT", "CARD"), ceiling), "amountPaise");
            // ON_TOP platform GST pushing the net below zero: 100 % platform fee, 18 % on top
            ScheduleBuilder all = ScheduleBuilder.plain().platformGst(PlatformFeeGst.ON_TOP, 1800);
            all.max = 10_000;
            all.platform("EVENT", PlatformFeeRule.flat(10_000));
            assertField(() -> FeeEngine.calculate(pay(100_000, "EVENT", "UPI"), all.build()), "amountPaise");
        }

        /* Deductions can consume the whole amount exactly: 100 % platform fee INCLUDED → net 0, not an error. */
        @Test
        void netMayBeZero() {
            ScheduleBuilder all = ScheduleBuilder.plain();
            all.max = 10_000;
            all.platform("EVENT", PlatformFeeRule.flat(10_000));
            FeeBreakdown b = FeeEngine.calculate(pay(100_000, "EVENT", "UPI"), all.build());
            assertThat(b.netPaise()).isZero();
            assertBalances(b);
        }

        @Test
        void netRevenueRejectsOverdrawnInputs() {
            FeeSchedule s = FeeSchedules.recommendedDefault();
            GatewayFees g = new GatewayFees("CARD", 100, 200, 0, 40, 7);
            PlatformFee p = new PlatformFee("EVENT", 29, 1000, 30, 5, PlatformFeeGst.ON_TOP);
            Withholding w = new Withholding(100, 0, 0);
            assertThat(FeeEngine.calculateNetRevenue(100, 0, g, p, w)).isEqualTo(100 - 40 - 7 - 30 - 5);
            PlatformFee tooMuch = new PlatformFee("EVENT", 29, 1000, 30, 50, PlatformFeeGst.ON_TOP);
            assertField(() -> FeeEngine.calculateNetRevenue(100, 0, g, tooMuch, w), "amountPaise");
            assertField(() -> FeeEngine.calculateNetRevenue(100, 101, g, p, w), "gstPaise");
            assertField(() -> FeeEngine.calculateNetRevenue(100, 0, null, p, w), "gateway");
            assertField(() -> FeeEngine.calculateNetRevenue(100, 0, new GatewayFees("CARD", 1, 1, 0, -1, 0), p, w), "gateway.feePaise");
            assertThat(s).isNotNull();
        }
    }

    /* The service methods composed by hand give exactly what calculate() gives (Example 1 and 2, both presets). */
    @ParameterizedTest
    @CsvSource({"1000000, EVENT", "5000000, SPONSOR", "123457, PREMIUM", "1, EVENT"})
    void serviceMethodsComposeToCalculate(long amount, String source) {
        for (FeeSchedule s : new FeeSchedule[] {FeeSchedules.seedExamples(), FeeSchedules.recommendedDefault()}) {
            PaymentFacts f = pay(amount, source, "CARD");
            FeeBreakdown b;
            try {
                b = FeeEngine.calculate(f, s);
            } catch (FeeValidationException e) {
                assertThat(e.field()).isEqualTo("amountPaise");
                continue;
            }
            long gst = FeeEngine.calculateGst(amount, s);
            GatewayFees g = FeeEngine.calculateGatewayFees(amount, gst, "CARD", s);
            PlatformFee p = FeeEngine.calculatePlatformFee(amount - gst - g.totalPaise(), source, s);
            Withholding w = FeeEngine.calculateWithholding(amount - gst, s);
            assertThat(FeeEngine.calculateNetRevenue(amount, gst, g, p, w)).isEqualTo(b.netPaise());
            assertThat(FeeEngine.calculateNetRevenue(f, s)).isEqualTo(b.netPaise());
            assertThat(new long[] {gst, g.feePaise(), g.gstPaise(), p.feePaise(), p.gstPaise(), w.tcsPaise(), w.tdsPaise()})
                    .containsExactly(b.gstPaise(), b.gatewayFeePaise(), b.gatewayFeeGstPaise(), b.platformFeePaise(),
                            b.platformFeeGstPaise(), b.tcsPaise(), b.tdsPaise());
            assertThat(FeeEngine.compile(s).calculate(f)).isEqualTo(b);
        }
    }
}
