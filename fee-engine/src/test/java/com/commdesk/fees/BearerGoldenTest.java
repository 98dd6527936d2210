package com.commdesk.fees;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Who bears each fee, worked by hand for one ticket of ₹10,000 (1,000,000 paise) paid by CARD under
 * {@code recommendedDefault()}: GST INCLUSIVE 18 %, gateway 2 % of the gross + 18 % GST, EVENT platform
 * fee 10 % with its GST INCLUDED at 18 %, TCS 0.5 % and TDS 0.1 % on the ticket price excluding GST,
 * every line rounded half-up to the paisa. docs/fees.md "Who bears each fee" shows the same table.
 *
 * <p>Lines every case shares (all computed on the ticket price T = 1,000,000):
 * <pre>
 *   GST      = 1,000,000 × 1800 / 11800 = 152,542.37 → 152,542
 *   gateway  = 1,000,000 × 200 / 10000  = 20,000;  its GST = 20,000 × 18 % = 3,600;  charges 23,600
 *   TCS      = (1,000,000 − 152,542) × 0.5 % = 847,458 × 50 / 10000 = 4,237.29 → 4,237
 *   TDS      = 847,458 × 10 / 10000 = 847.458 → 847
 * </pre>
 * The platform fee's base is T − GST − the gateway charges the community bears:
 * 823,858 when the community bears the gateway fee, 847,458 when the platform or the customer does.
 */
class BearerGoldenTest {
    static final long T = 1_000_000;

    static FeeSchedule schedule(FeeBearer gateway, FeeBearer platform) {
        return FeeSchedules.recommendedDefault().withBearers(gateway, platform);
    }

    static FeeBreakdown calc(FeeSchedule s, long amount, Long ticket) {
        return FeeEngine.calculate(new PaymentFacts(amount, "EVENT", "CARD", null, null, ticket), s);
    }

    /*
     * COMMUNITY / COMMUNITY (the behaviour before bearers; docs/fees.md §3, 7,363.88):
     *   base     = 1,000,000 − 152,542 − 23,600 = 823,858
     *   platform = 823,858 × 10 % = 82,385.8 → 82,386; its GST inside = 82,386 × 1800 / 11800 = 12,567.36 → 12,567
     *   net      = 823,858 − 82,386 − 4,237 − 847 = 736,388
     *   check    = 152,542 + 23,600 + 82,386 + 4,237 + 847 + 736,388 = 1,000,000 = what the customer paid
     */
    @Test
    void communityBearsBoth() {
        FeeBreakdown b = calc(schedule(FeeBearer.COMMUNITY, FeeBearer.COMMUNITY), T, null);
        assertThat(b.amountPaise()).isEqualTo(T);
        assertThat(b.ticketPricePaise()).isEqualTo(T);
        assertThat(b.convenienceFeePaise()).isZero();
        assertThat(b.gstPaise()).isEqualTo(152_542);
        assertThat(b.gatewayFeePaise()).isEqualTo(20_000);
        assertThat(b.gatewayFeeGstPaise()).isEqualTo(3_600);
        assertThat(b.platformFeePaise()).isEqualTo(82_386);
        assertThat(b.platformFeeGstPaise()).isEqualTo(12_567);
        assertThat(b.tcsPaise()).isEqualTo(4_237);
        assertThat(b.tdsPaise()).isEqualTo(847);
        assertThat(b.netPaise()).isEqualTo(736_388);
        assertThat(b.chargesBorneBy(FeeBearer.COMMUNITY)).isEqualTo(23_600 + 82_386);
        assertThat(b).isEqualTo(calc(FeeSchedules.recommendedDefault(), T, null)); // the default bearers change nothing
    }

    /*
     * PLATFORM bears the gateway fee (a promotion), COMMUNITY the platform fee:
     *   the gateway still keeps 20,000 + 3,600 = 23,600 from what it settles; CommDesk pays it
     *   base     = 1,000,000 − 152,542 = 847,458
     *   platform = 847,458 × 10 % = 84,745.8 → 84,746; its GST inside = 84,746 × 1800 / 11800 = 12,927.35 → 12,927
     *   net      = 847,458 − 84,746 − 4,237 − 847 = 757,628
     *   check    = 152,542 + 84,746 + 4,237 + 847 + 757,628 = 1,000,000; the platform's 23,600 is outside it
     */
    @Test
    void platformAbsorbsTheGatewayFee() {
        FeeBreakdown b = calc(schedule(FeeBearer.PLATFORM, FeeBearer.COMMUNITY), T, null);
        assertThat(b.amountPaise()).isEqualTo(T);
        assertThat(b.convenienceFeePaise()).isZero();
        assertThat(b.gatewayChargesPaise()).isEqualTo(23_600);
        assertThat(b.platformFeePaise()).isEqualTo(84_746);
        assertThat(b.platformFeeGstPaise()).isEqualTo(12_927);
        assertThat(b.netPaise()).isEqualTo(757_628);
        assertThat(b.chargesBorneBy(FeeBearer.PLATFORM)).isEqualTo(23_600);
        assertThat(b.chargesBorneBy(FeeBearer.COMMUNITY)).isEqualTo(84_746);
        assertThat(b.gatewayFeeBearer()).isEqualTo(FeeBearer.PLATFORM);
    }

    /*
     * CUSTOMER bears the gateway fee (a convenience fee on top), COMMUNITY the platform fee:
     *   convenience fee = 20,000 + 3,600 = 23,600;  the customer pays 1,000,000 + 23,600 = 1,023,600
     *   the community's lines are those of the platform-absorbs case: platform 84,746 (GST 12,927), net 757,628
     *   check    = 1,023,600 = 152,542 + 84,746 + 4,237 + 847 + 757,628 + 23,600
     */
    @Test
    void customerPaysAConvenienceFeeForTheGateway() {
        FeeSchedule s = schedule(FeeBearer.CUSTOMER, FeeBearer.COMMUNITY);
        assertThat(FeeEngine.compile(s).orderAmount(T, "EVENT", "CARD")).isEqualTo(1_023_600);
        FeeBreakdown b = calc(s, 1_023_600, T);
        assertThat(b.amountPaise()).isEqualTo(1_023_600);
        assertThat(b.ticketPricePaise()).isEqualTo(T);
        assertThat(b.convenienceFeePaise()).isEqualTo(23_600);
        assertThat(b.gstPaise()).isEqualTo(152_542); // the ticket's GST: on the ticket price, not on the convenience fee
        assertThat(b.gatewayFeePaise()).isEqualTo(20_000);
        assertThat(b.gatewayFeeGstPaise()).isEqualTo(3_600);
        assertThat(b.platformFeePaise()).isEqualTo(84_746);
        assertThat(b.platformFeeGstPaise()).isEqualTo(12_927);
        assertThat(b.tcsPaise()).isEqualTo(4_237);
        assertThat(b.tdsPaise()).isEqualTo(847);
        assertThat(b.netPaise()).isEqualTo(757_628);
        assertThat(b.chargesBorneBy(FeeBearer.CUSTOMER)).isEqualTo(23_600);
    }

    /*
     * COMMUNITY bears the gateway fee, PLATFORM the platform fee (waived):
     *   base     = 823,858; the fee would be 82,386 → waived: 0 charged, 0 GST (no consideration, no GST)
     *   net      = 823,858 − 4,237 − 847 = 818,774
     *   check    = 152,542 + 23,600 + 4,237 + 847 + 818,774 = 1,000,000
     */
    @Test
    void platformWaivesItsFee() {
        FeeBreakdown b = calc(schedule(FeeBearer.COMMUNITY, FeeBearer.PLATFORM), T, null);
        assertThat(b.platformFeePaise()).isZero();
        assertThat(b.platformFeeGstPaise()).isZero();
        assertThat(b.platformGstHeads()).isEqualTo(GstHeads.ZERO);
        assertThat(b.platformFeeWaivedPaise()).isEqualTo(82_386);
        assertThat(b.platformFeeRateBps()).isEqualTo(1000);
        assertThat(b.netPaise()).isEqualTo(818_774);
        assertThat(b.amountPaise()).isEqualTo(T);
    }

    /*
     * COMMUNITY bears the gateway fee, CUSTOMER the platform fee (GST INCLUDED):
     *   base     = 823,858; platform 82,386 with 12,567 GST inside → convenience fee 82,386
     *   the customer pays 1,000,000 + 82,386 = 1,082,386
     *   net      = 823,858 − 4,237 − 847 = 818,774
     */
    @Test
    void customerPaysThePlatformFee() {
        FeeSchedule s = schedule(FeeBearer.COMMUNITY, FeeBearer.CUSTOMER);
        FeeBreakdown b = calc(s, 1_082_386, T);
        assertThat(b.convenienceFeePaise()).isEqualTo(82_386);
        assertThat(b.platformFeePaise()).isEqualTo(82_386);
        assertThat(b.platformFeeGstPaise()).isEqualTo(12_567);
        assertThat(b.netPaise()).isEqualTo(818_774);
        assertThat(b.chargesBorneBy(FeeBearer.COMMUNITY)).isEqualTo(23_600);
    }

    /*
     * CUSTOMER bears both, platform GST ON_TOP at 18 %:
     *   base     = 847,458; platform 84,746; its GST on top = 84,746 × 18 % = 15,254.28 → 15,254
     *   convenience fee = 23,600 + 84,746 + 15,254 = 123,600;  the customer pays 1,123,600
     *   net      = 847,458 − 4,237 − 847 = 842,374
     *   check    = 1,123,600 = 152,542 + 4,237 + 847 + 842,374 + 123,600
     */
    @Test
    void customerPaysBothWithPlatformGstOnTop() {
        FeeSchedule s = ScheduleBuilder.from(schedule(FeeBearer.CUSTOMER, FeeBearer.CUSTOMER))
                .platformGst(PlatformFeeGst.ON_TOP, 1800).build();
        FeeBreakdown b = calc(s, 1_123_600, T);
        assertThat(b.platformFeePaise()).isEqualTo(84_746);
        assertThat(b.platformFeeGstPaise()).isEqualTo(15_254);
        assertThat(b.convenienceFeePaise()).isEqualTo(123_600);
        assertThat(b.netPaise()).isEqualTo(842_374);
    }

    /*
     * PLATFORM bears both: the gateway's 23,600 is CommDesk's expense and the fee (84,746 on 847,458) is waived:
     *   net = 847,458 − 4,237 − 847 = 842,374 — the same net as when the customer pays both.
     */
    @Test
    void platformBearsBoth() {
        FeeBreakdown b = calc(schedule(FeeBearer.PLATFORM, FeeBearer.PLATFORM), T, null);
        assertThat(b.netPaise()).isEqualTo(842_374);
        assertThat(b.platformFeeWaivedPaise()).isEqualTo(84_746);
        assertThat(b.chargesBorneBy(FeeBearer.PLATFORM)).isEqualTo(23_600);
    }

    /*
     * The seed's own arithmetic with the customer bearing the gateway fee (seedExamples: ON_GROSS 18 %,
     * gateway 2 % AFTER_GST, every line floored to the rupee):
     *   GST 1,000,000 × 18 % = 180,000; gateway (1,000,000 − 180,000) × 2 % = 16,400; its GST 2,952 → 2,900
     *   convenience fee 16,400 + 2,900 = 19,300 → the customer pays 1,019,300
     *   base 820,000; platform 10 % = 82,000 (GST inside 82,000 × 18/118 = 12,508.47 → 12,500)
     *   net 820,000 − 82,000 = 738,000 (the spec's 720,700 is with the community paying the 19,300 and a
     *   platform fee of 80,000 on 800,700)
     */
    @Test
    void seedScheduleWithAConvenienceFee() {
        FeeSchedule s = FeeSchedules.seedExamples().withBearers(FeeBearer.CUSTOMER, FeeBearer.COMMUNITY);
        FeeBreakdown b = calc(s, 1_019_300, T);
        assertThat(b.convenienceFeePaise()).isEqualTo(19_300);
        assertThat(b.platformFeePaise()).isEqualTo(82_000);
        assertThat(b.platformFeeGstPaise()).isEqualTo(12_500);
        assertThat(b.netPaise()).isEqualTo(738_000);
    }

    @Test
    void theOrderAmountMustBeTheTicketPricePlusTheConvenienceFee() {
        FeeSchedule s = schedule(FeeBearer.CUSTOMER, FeeBearer.COMMUNITY);
        assertThatThrownBy(() -> calc(s, 1_023_599, T)).isInstanceOfSatisfying(FeeValidationException.class,
                e -> assertThat(e.field()).isEqualTo("amountPaise"));
        assertThatThrownBy(() -> calc(s, 1_023_600, null)).isInstanceOfSatisfying(FeeValidationException.class,
                e -> assertThat(e.field()).isEqualTo("ticketPricePaise"));
        // without a customer-borne fee there is no convenience fee: a different ticket price is an error
        assertThatThrownBy(() -> calc(FeeSchedules.recommendedDefault(), T, T - 1)).isInstanceOfSatisfying(FeeValidationException.class,
                e -> assertThat(e.field()).isEqualTo("ticketPricePaise"));
        assertThat(calc(FeeSchedules.recommendedDefault(), T, T).netPaise()).isEqualTo(736_388);
    }

    /* A platform-absorbed fixed gateway fee larger than the payment cannot be kept by the gateway: refused. */
    @Test
    void theGatewayCannotKeepMoreThanThePayment() {
        FeeSchedule s = ScheduleBuilder.plain().gateway("CARD", 0, 500).bearers(FeeBearer.PLATFORM, FeeBearer.COMMUNITY).build();
        assertThatThrownBy(() -> FeeEngine.calculate(new PaymentFacts(400, "EVENT", "CARD", null, null), s))
                .isInstanceOfSatisfying(FeeValidationException.class, e -> assertThat(e.field()).isEqualTo("amountPaise"));
        assertThat(FeeEngine.calculate(new PaymentFacts(600, "EVENT", "CARD", null, null), s).gatewayFeePaise()).isEqualTo(500);
    }
}
