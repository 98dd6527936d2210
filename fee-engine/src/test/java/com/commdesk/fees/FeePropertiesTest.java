package com.commdesk.fees;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Property-based tests (jqwik; it runs as its own engine on the JUnit Platform next to Jupiter — a
 * failing property prints its seed and shrunk sample). Random schedules cover every mode, rate,
 * fixed part, tier layout and rounding; random payments span 1 paisa .. 10^12 paise.
 */
class FeePropertiesTest {

    // ------------------------------------------------------------------------------------------
    // Generators

    @Provide
    Arbitrary<Long> amounts() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.longs().between(1, 1_000)),
                Tuple.of(4, Arbitraries.longs().between(1_000, 100_000_000)),
                Tuple.of(3, Arbitraries.longs().between(1, Limits.MAX_AMOUNT_PAISE)),
                Tuple.of(1, Arbitraries.of(1L, 99L, 100L, 101L, 11_800L, 1_000_000L, 5_000_000L, Limits.MAX_AMOUNT_PAISE)));
    }

    static Arbitrary<Integer> bps() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.integers().between(0, 3_000)),
                Tuple.of(1, Arbitraries.integers().between(0, 10_000)),
                Tuple.of(2, Arbitraries.of(0, 10, 50, 100, 190, 200, 1000, 1200, 1800, 2800, 10_000)));
    }

    static Arbitrary<Long> fixed() {
        return Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.just(0L)),
                Tuple.of(3, Arbitraries.longs().between(0, 10_000)),
                Tuple.of(1, Arbitraries.longs().between(0, Limits.MAX_FIXED_PAISE)));
    }

    static Arbitrary<Rounding> roundings() {
        return Combinators.combine(Arbitraries.of(RoundingUnit.class), Arbitraries.of(RoundingMode.class)).as(Rounding::new);
    }

    /** A platform rule inside [min, max]: flat, or 1..6 tiers with increasing starts. */
    static Arbitrary<PlatformFeeRule> platformRule(int min, int max) {
        Arbitrary<Integer> rate = Arbitraries.integers().between(min, max);
        Arbitrary<PlatformFeeRule> flat = Combinators.combine(rate, fixed()).as((r, f) -> new PlatformFeeRule(new FeeRate(r, f), List.of(), null));
        Arbitrary<PlatformFeeRule> tiered = Combinators.combine(
                Arbitraries.longs().between(1, 10_000_000_000L).list().ofMinSize(0).ofMaxSize(5).uniqueElements(),
                rate.list().ofSize(6), fixed().list().ofSize(6), Arbitraries.of(TierMode.class)).as((starts, rates, fixes, mode) -> {
            List<Long> from = new ArrayList<>(starts);
            from.add(0L);
            from.sort(null);
            List<FeeTier> tiers = new ArrayList<>();
            for (int i = 0; i < from.size(); i++) tiers.add(new FeeTier(from.get(i), rates.get(i), fixes.get(i)));
            return PlatformFeeRule.tiered(mode, tiers);
        });
        return Arbitraries.oneOf(flat, tiered);
    }

    @Provide
    Arbitrary<FeeSchedule> schedules() {
        Arbitrary<int[]> bounds = Arbitraries.integers().between(0, 10_000).list().ofSize(2)
                .map(l -> new int[] {Math.min(l.get(0), l.get(1)), Math.max(l.get(0), l.get(1))});
        Arbitrary<Map<String, FeeRate>> card = Combinators.combine(bps(), fixed(), bps(), fixed())
                .as((r1, f1, r2, f2) -> {
                    Map<String, FeeRate> m = new LinkedHashMap<>();
                    m.put("CARD", new FeeRate(r1, f1));
                    m.put("UPI", new FeeRate(r2, f2));
                    return m;
                });
        Arbitrary<Object[]> taxes = Combinators.combine(Arbitraries.of(GstMethod.class), bps(), Arbitraries.of(GatewayFeeBase.class),
                bps(), Arbitraries.of(PlatformFeeGst.class), bps(), bps(), bps())
                .as((gm, gr, gb, ggr, pg, pgr, tcs, tds) -> new Object[] {gm, gr, gb, ggr, pg, pgr, tcs, tds});
        return Combinators.combine(bounds, card, taxes, roundings()).flatAs((b, c, t, r) ->
                Combinators.combine(platformRule(b[0], b[1]), platformRule(b[0], b[1]), bearers(), bearers()).as((event, sponsor, gb, pb) -> {
                    Map<String, PlatformFeeRule> p = new LinkedHashMap<>();
                    p.put("EVENT", event);
                    p.put("SPONSOR", sponsor);
                    return new FeeSchedule("random", (GstMethod) t[0], (Integer) t[1], c, (GatewayFeeBase) t[2], (Integer) t[3],
                            p, (PlatformFeeGst) t[4], (Integer) t[5], (Integer) t[6], (Integer) t[7], r, b[0], b[1], gb, pb);
                }));
    }

    /** COMMUNITY (today's behaviour) half the time, PLATFORM and CUSTOMER a quarter each. */
    static Arbitrary<FeeBearer> bearers() {
        return Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just(FeeBearer.COMMUNITY)),
                Tuple.of(1, Arbitraries.just(FeeBearer.PLATFORM)), Tuple.of(1, Arbitraries.just(FeeBearer.CUSTOMER)));
    }

    /** The facts of a payment of ticket price {@code t} under {@code s}: the order amount is t + convenience fee. */
    static PaymentFacts order(PaymentFacts ticket, FeeSchedule s, long amount) {
        return new PaymentFacts(amount, ticket.sourceType(), ticket.paymentMethod(), ticket.supplierState(), ticket.placeOfSupply(),
                s.customerBearsAFee() ? ticket.amountPaise() : null);
    }

    @Provide
    Arbitrary<PaymentFacts> payments() {
        return Combinators.combine(amounts(), Arbitraries.of("EVENT", "event", "SPONSOR"), Arbitraries.of("CARD", "upi"),
                Arbitraries.of("KA", "ka", "MH", null), Arbitraries.of("KA", "MH", null)).as(PaymentFacts::new);
    }

    @Provide
    Arbitrary<List<RoleSplit>> roleSplits() {
        Arbitrary<Integer> roles = Arbitraries.integers().between(1, 8);
        return roles.flatMap(n -> Combinators.combine(
                Arbitraries.integers().between(0, 10_000).list().ofSize(n - 1),
                Arbitraries.of(MemberSplitMode.EQUAL, MemberSplitMode.WEIGHTED).list().ofSize(n),
                Arbitraries.longs().between(1, Limits.MAX_WEIGHT).list().ofMinSize(1).ofMaxSize(40).list().ofSize(n)).as((cuts, modes, weights) -> {
            List<Integer> points = new ArrayList<>(cuts);
            points.add(0);
            points.add(10_000);
            points.sort(null);
            List<RoleSplit> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                List<MemberShare> ms = new ArrayList<>();
                for (int j = 0; j < weights.get(i).size(); j++) ms.add(new MemberShare("u" + i + "-" + j, weights.get(i).get(j), 0));
                out.add(new RoleSplit("role" + i, points.get(i + 1) - points.get(i), modes.get(i), ms));
            }
            return out;
        }));
    }

    /** 1..3 PERCENT roles and 1..4 FIXED or TIERED roles (either mode, 1..5 bands, fixed parts) in random order. */
    @Provide
    Arbitrary<List<RoleSplit>> mixedRoleSplits() {
        Arbitrary<RoleSplit> fixedRole = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.longs().between(0, 100_000)), Tuple.of(1, Arbitraries.longs().between(0, Limits.MAX_AMOUNT_PAISE)))
                .map(f -> RoleSplit.fixed("f", f, MemberSplitMode.EQUAL, List.of(MemberShare.of("x"), MemberShare.of("y"))));
        Arbitrary<RoleSplit> tieredRole = Combinators.combine(
                Arbitraries.longs().between(1, 10_000_000_000L).list().ofMaxSize(4).uniqueElements(),
                Arbitraries.integers().between(0, 3_000).list().ofSize(5), fixed().list().ofSize(5), Arbitraries.of(TierMode.class))
                .as((starts, rates, fixes, mode) -> {
                    List<Long> from = new ArrayList<>(starts);
                    from.add(0L);
                    from.sort(null);
                    List<FeeTier> tiers = new ArrayList<>();
                    for (int i = 0; i < from.size(); i++) tiers.add(new FeeTier(from.get(i), rates.get(i), fixes.get(i) % 1_000_000));
                    return RoleSplit.tiered("t", mode, tiers, MemberSplitMode.WEIGHTED,
                            List.of(new MemberShare("x", 3, 0), new MemberShare("y", 7, 0)));
                });
        Arbitrary<List<RoleSplit>> served = Arbitraries.oneOf(fixedRole, tieredRole).list().ofMinSize(1).ofMaxSize(4);
        Arbitrary<List<Integer>> cuts = Arbitraries.integers().between(0, 10_000).list().ofMaxSize(2);
        return Combinators.combine(served, cuts, Arbitraries.randoms()).as((srv, cut, random) -> {
            List<Integer> points = new ArrayList<>(cut);
            points.add(0);
            points.add(10_000);
            points.sort(null);
            List<RoleSplit> all = new ArrayList<>();
            for (int i = 0; i + 1 < points.size(); i++) {
                all.add(new RoleSplit("p" + i, points.get(i + 1) - points.get(i), MemberSplitMode.EQUAL, List.of(MemberShare.of("m"))));
            }
            for (int i = 0; i < srv.size(); i++) {
                RoleSplit r = srv.get(i);
                all.add(new RoleSplit("s" + i, 0, r.mode(), r.members(), r.method(), r.fixedPaise(), r.tiers(), r.tierMode()));
            }
            java.util.Collections.shuffle(all, random);
            return all;
        });
    }

    /**
     * Fixed and tiered roles are served first and the PERCENT roles share the rest: the amounts equal a
     * BigInteger reference of docs/fees.md §4, sum to the net exactly, each role is within one paisa of its
     * exact amount, members sum to their role, and the split is refused on "roles" exactly when the
     * reference says the served roles take more than the net.
     */
    @Property(tries = 2000)
    void mixedSplitsMatchTheReferenceAndSumToTheNet(@ForAll("amounts") long net, @ForAll("mixedRoleSplits") List<RoleSplit> roles) {
        long[] expected = Reference.roleAmounts(net, roles);
        Statistics.label("outcome").collect(expected == null ? "refused" : "split");
        if (expected == null) {
            assertThatThrownBy(() -> SplitEngine.splitRevenueAcrossRoles(net, roles)).isInstanceOfSatisfying(FeeValidationException.class,
                    e -> assertThat(e.field()).isEqualTo("roles"));
            return;
        }
        List<RoleAllocation> out = SplitEngine.splitRevenueAcrossRoles(net, roles);
        assertThat(out.stream().mapToLong(RoleAllocation::amountPaise).toArray()).containsExactly(expected);
        assertThat(out.stream().mapToLong(RoleAllocation::amountPaise).sum()).isEqualTo(net);
        for (RoleAllocation r : out) {
            assertThat(r.amountPaise()).isNotNegative();
            assertThat(r.members().stream().mapToLong(MemberAllocation::amountPaise).sum()).isEqualTo(r.amountPaise());
        }
        assertThat(SplitEngine.splitRevenueAcrossRoles(net, roles)).isEqualTo(out);
    }

    @Provide
    Arbitrary<long[]> weightArrays() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.longs().between(0, 10).array(long[].class).ofMinSize(1).ofMaxSize(50)),
                Tuple.of(3, Arbitraries.longs().between(0, Limits.MAX_WEIGHT).array(long[].class).ofMinSize(1).ofMaxSize(200)),
                Tuple.of(1, Arbitraries.longs().between(1, 3).array(long[].class).ofMinSize(30).ofMaxSize(3000)))
                .filter(a -> java.util.Arrays.stream(a).sum() > 0);
    }

    // ------------------------------------------------------------------------------------------
    // Fee properties

    /**
     * Every number equals an independent BigInteger/BigDecimal re-implementation of docs/fees.md, the
     * parts add up to the amount exactly, nothing is negative, RUPEE results are whole rupees, the GST
     * heads add up, and when the reference says the amount cannot cover the deductions the engine
     * refuses on "amountPaise" instead of producing a negative net.
     */
    @Property(tries = 4000)
    void breakdownMatchesReferenceAndBalances(@ForAll("payments") PaymentFacts ticket, @ForAll("schedules") FeeSchedule schedule) {
        // ticket.amountPaise() is the ticket price; the customer pays it plus any convenience fee
        FeeBreakdown expected = Reference.calculate(ticket, schedule);
        net.jqwik.api.statistics.Statistics.label("outcome").collect(expected == null ? "refused" : "calculated");
        net.jqwik.api.statistics.Statistics.label("bearers").collect(schedule.gatewayFeeBearer(), schedule.platformFeeBearer());
        if (expected != null) {
            net.jqwik.api.statistics.Statistics.label("shape").collect(
                    schedule.platformFeeBySource().get("EVENT").hasTiers() ? "tiered" : "flat", schedule.rounding().unit());
        }
        CompiledFeeSchedule compiled = FeeEngine.compile(schedule);
        if (expected == null) {
            assertThatThrownBy(() -> compiled.orderAmount(ticket.amountPaise(), ticket.sourceType(), ticket.paymentMethod()))
                    .isInstanceOfSatisfying(FeeValidationException.class, e -> assertThat(e.field()).isEqualTo("ticketPricePaise"));
            if (!schedule.customerBearsAFee()) {
                assertThatThrownBy(() -> FeeEngine.calculate(ticket, schedule)).isInstanceOfSatisfying(FeeValidationException.class,
                        e -> assertThat(e.field()).isEqualTo("amountPaise"));
            }
            return;
        }
        assertThat(compiled.orderAmount(ticket.amountPaise(), ticket.sourceType(), ticket.paymentMethod())).isEqualTo(expected.amountPaise());
        FeeBreakdown b = FeeEngine.calculate(order(ticket, schedule, expected.amountPaise()), schedule);
        assertThat(b).isEqualTo(expected);
        // what the customer paid = the ticket price + the convenience fee, to the paisa
        assertThat(b.ticketPricePaise()).isEqualTo(ticket.amountPaise());
        assertThat(b.ticketPricePaise() + b.convenienceFeePaise()).isEqualTo(b.amountPaise());
        // the ticket price covers GST, withholding, the net and exactly the charges the community bears
        assertThat(b.gstPaise() + b.tcsPaise() + b.tdsPaise() + b.netPaise() + b.chargesBorneBy(FeeBearer.COMMUNITY))
                .isEqualTo(b.ticketPricePaise());
        // the convenience fee is exactly the charges the customer bears; the platform's never reach the customer
        assertThat(b.convenienceFeePaise()).isEqualTo(b.chargesBorneBy(FeeBearer.CUSTOMER));
        assertThat(b.gstPaise() + b.tcsPaise() + b.tdsPaise() + b.netPaise() + b.chargesBorneBy(FeeBearer.COMMUNITY)
                + b.chargesBorneBy(FeeBearer.CUSTOMER)).isEqualTo(b.amountPaise());
        if (schedule.platformFeeBearer() == FeeBearer.PLATFORM) {
            assertThat(b.platformFeePaise()).isZero();
            assertThat(b.platformFeeGstPaise()).isZero();
        } else {
            assertThat(b.platformFeeWaivedPaise()).isZero();
        }
        assertThat(b.gatewayChargesPaise()).isLessThanOrEqualTo(b.amountPaise());
        long[] parts = {b.gstPaise(), b.gatewayFeePaise(), b.gatewayFeeGstPaise(), b.platformFeePaise(), b.platformFeeGstPaise(),
                b.tcsPaise(), b.tdsPaise(), b.netPaise(), b.convenienceFeePaise(), b.platformFeeWaivedPaise()};
        for (long p : parts) assertThat(p).isNotNegative();
        if (schedule.rounding().unit() == RoundingUnit.RUPEE) {
            for (int i = 0; i < 7; i++) assertThat(parts[i] % 100).isZero();
        }
        if (b.platformFeeGst() == PlatformFeeGst.INCLUDED) assertThat(b.platformFeeGstPaise()).isLessThanOrEqualTo(b.platformFeePaise());
        assertThat(b.gstHeads().total()).isEqualTo(b.gstPaise());
        assertThat(b.gatewayGstHeads().total()).isEqualTo(b.gatewayFeeGstPaise());
        assertThat(b.platformGstHeads().total()).isEqualTo(b.platformFeeGstPaise());
        for (GstHeads h : List.of(b.gstHeads(), b.gatewayGstHeads(), b.platformGstHeads())) {
            assertThat(h.cgstPaise() - h.sgstPaise()).isBetween(0L, 1L);
            assertThat(h.igstPaise() == 0 || h.cgstPaise() + h.sgstPaise() == 0).isTrue();
        }
        if (schedule.customerBearsAFee()) {
            // any other amount for this ticket price is refused, and so is a missing ticket price
            assertThatThrownBy(() -> FeeEngine.calculate(order(ticket, schedule, expected.amountPaise() - 1), schedule))
                    .isInstanceOfSatisfying(FeeValidationException.class, e -> assertThat(e.field()).isIn("amountPaise"));
            assertThatThrownBy(() -> FeeEngine.calculate(new PaymentFacts(expected.amountPaise(), ticket.sourceType(),
                    ticket.paymentMethod(), null, null), schedule))
                    .isInstanceOfSatisfying(FeeValidationException.class, e -> assertThat(e.field()).isEqualTo("ticketPricePaise"));
        }
    }

    /** Same input, same output: twice through one compiled schedule and once through a fresh one. */
    @Property(tries = 500)
    void deterministic(@ForAll("payments") PaymentFacts ticket, @ForAll("schedules") FeeSchedule schedule) {
        CompiledFeeSchedule c = FeeEngine.compile(schedule);
        FeeBreakdown a;
        PaymentFacts facts;
        try {
            facts = order(ticket, schedule, c.orderAmount(ticket.amountPaise(), ticket.sourceType(), ticket.paymentMethod()));
            a = c.calculate(facts);
        } catch (FeeValidationException e) {
            assertThat(e.field()).isIn("amountPaise", "ticketPricePaise");
            return;
        }
        assertThat(c.calculate(facts)).isEqualTo(a);
        assertThat(FeeEngine.calculate(facts, schedule)).isEqualTo(a);
    }

    /** Under the two presets no valid payment is ever refused: the net is never negative. */
    @Property(tries = 2000)
    void presetsNeverOverdraw(@ForAll("amounts") long amount, @ForAll("presetSources") String source) {
        for (FeeSchedule s : List.of(FeeSchedules.seedExamples(), FeeSchedules.recommendedDefault())) {
            FeeBreakdown b = FeeEngine.calculate(new PaymentFacts(amount, source, "CARD", null, null), s);
            assertThat(b.netPaise()).isBetween(0L, amount);
        }
    }

    @Provide
    Arbitrary<String> presetSources() {
        return Arbitraries.of("EVENT", "SPONSOR", "PREMIUM");
    }

    // ------------------------------------------------------------------------------------------
    // Split properties

    /**
     * Role shares sum to the net exactly, each within one paisa of its exact share; member amounts sum
     * to their role's amount, each within one paisa of its exact share; nothing negative; deterministic.
     */
    @Property(tries = 2000)
    void sharesSumToNetExactly(@ForAll("amounts") long net, @ForAll("roleSplits") List<RoleSplit> roles) {
        List<RoleAllocation> out = SplitEngine.splitRevenueAcrossRoles(net, roles);
        assertThat(out).hasSize(roles.size());
        long total = 0;
        for (int i = 0; i < out.size(); i++) {
            RoleAllocation r = out.get(i);
            RoleSplit spec = roles.get(i);
            assertThat(r.role()).isEqualTo(spec.role());
            assertThat(r.amountPaise()).isNotNegative();
            // |amount − net × share / 10000| < 1  ⇔  |amount × 10000 − net × share| < 10000
            assertThat(BigInteger.valueOf(r.amountPaise()).multiply(BigInteger.valueOf(10_000))
                    .subtract(BigInteger.valueOf(net).multiply(BigInteger.valueOf(spec.shareBps()))).abs())
                    .isLessThan(BigInteger.valueOf(10_000));
            long members = 0;
            for (MemberAllocation m : r.members()) {
                assertThat(m.amountPaise()).isNotNegative();
                members += m.amountPaise();
            }
            assertThat(members).isEqualTo(r.amountPaise());
            total += r.amountPaise();
        }
        assertThat(total).isEqualTo(net);
        assertThat(SplitEngine.splitRevenueAcrossRoles(net, roles)).isEqualTo(out);
    }

    /**
     * largestRemainder sums exactly, each part differs from its exact share by less than one paisa, and
     * it equals a slow sort-based BigInteger reference (so ties go to the earlier entry).
     */
    @Property(tries = 2000)
    void largestRemainderIsExactAndFair(@ForAll("amounts") long amount, @ForAll("weightArrays") long[] weights) {
        long[] parts = SplitEngine.largestRemainder(amount, weights);
        BigInteger total = BigInteger.ZERO;
        for (long w : weights) total = total.add(BigInteger.valueOf(w));
        long sum = 0;
        for (int i = 0; i < parts.length; i++) {
            sum += parts[i];
            BigInteger diff = BigInteger.valueOf(parts[i]).multiply(total).subtract(BigInteger.valueOf(amount).multiply(BigInteger.valueOf(weights[i])));
            assertThat(diff.abs()).isLessThan(total);
            assertThat(parts[i]).isNotNegative();
        }
        assertThat(sum).isEqualTo(amount);
        assertThat(parts).containsExactly(Reference.largestRemainder(amount, weights));
    }

    /** Rounding agrees with BigDecimal's correctly rounded division for every unit and mode. */
    @Property(tries = 3000)
    void roundingAgreesWithBigDecimal(@ForAll @LongRange(min = 0, max = 20_000_000_000_000_000L) long num,
                                      @ForAll @IntRange(min = 1, max = 20_000) int den) {
        for (RoundingUnit u : RoundingUnit.values()) {
            for (RoundingMode m : RoundingMode.values()) {
                Rounding r = new Rounding(u, m);
                assertThat(r.round(num, den)).as("%d/%d %s", num, den, r).isEqualTo(Reference.round(num, den, r));
            }
        }
    }

    /** The end-to-end invariant: quote = calculate + split, and the shares add up to the amount minus every deduction. */
    @Property(tries = 1000)
    void calculateThenSplit(@ForAll("payments") PaymentFacts facts, @ForAll("roleSplits") List<RoleSplit> roles) {
        FeeBreakdown b = FeeEngine.calculate(facts, FeeSchedules.recommendedDefault());
        long shared = SplitEngine.splitRevenueAcrossRoles(b.netPaise(), roles).stream().mapToLong(RoleAllocation::amountPaise).sum();
        assertThat(shared).isEqualTo(b.amountPaise() - b.deductionsPaise());
    }
}
