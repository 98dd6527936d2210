package com.commdesk.fees;

import static com.commdesk.fees.SplitEngineTest.assertField;
import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.fees.GstStates.GstState;
import com.commdesk.fees.GstStates.Kind;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** GST heads from GST state codes: every state, union territory and special code of the list. */
class GstStatesTest {

    /*
     * code | name | kind | ISO 3166-2:IN abbreviation — the whole list, written out independently of the
     * engine's table (GST portal / e-invoice state codes; 28 states, 8 union territories).
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            01 | Jammu and Kashmir                        | UNION_TERRITORY | JK
            02 | Himachal Pradesh                         | STATE           | HP
            03 | Punjab                                   | STATE           | PB
            04 | Chandigarh                               | UNION_TERRITORY | CH
            05 | Uttarakhand                              | STATE           | UK
            06 | Haryana                                  | STATE           | HR
            07 | Delhi                                    | UNION_TERRITORY | DL
            08 | Rajasthan                                | STATE           | RJ
            09 | Uttar Pradesh                            | STATE           | UP
            10 | Bihar                                    | STATE           | BR
            11 | Sikkim                                   | STATE           | SK
            12 | Arunachal Pradesh                        | STATE           | AR
            13 | Nagaland                                 | STATE           | NL
            14 | Manipur                                  | STATE           | MN
            15 | Mizoram                                  | STATE           | MZ
            16 | Tripura                                  | STATE           | TR
            17 | Meghalaya                                | STATE           | ML
            18 | Assam                                    | STATE           | AS
            19 | West Bengal                              | STATE           | WB
            20 | Jharkhand                                | STATE           | JH
            21 | Odisha                                   | STATE           | OD
            22 | Chhattisgarh                             | STATE           | CG
            23 | Madhya Pradesh                           | STATE           | MP
            24 | Gujarat                                  | STATE           | GJ
            26 | Dadra and Nagar Haveli and Daman and Diu | UNION_TERRITORY | DH
            27 | Maharashtra                              | STATE           | MH
            29 | Karnataka                                | STATE           | KA
            30 | Goa                                      | STATE           | GA
            31 | Lakshadweep                              | UNION_TERRITORY | LD
            32 | Kerala                                   | STATE           | KL
            33 | Tamil Nadu                               | STATE           | TN
            34 | Puducherry                               | UNION_TERRITORY | PY
            35 | Andaman and Nicobar Islands              | UNION_TERRITORY | AN
            36 | Telangana                                | STATE           | TS
            37 | Andhra Pradesh                           | STATE           | AP
            38 | Ladakh                                   | UNION_TERRITORY | LA
            97 | Other Territory                          | SPECIAL         | OT
            """)
    void everyStateAndUnionTerritory(String code, String name, Kind kind, String abbreviation) {
        GstState st = GstStates.resolve(code, "s");
        assertThat(st.code()).isEqualTo(code);
        assertThat(st.name()).isEqualTo(name);
        assertThat(st.kind()).isEqualTo(kind);
        // every form of the state is that state
        for (String form : List.of(name, name.toUpperCase(Locale.ROOT), name.toLowerCase(Locale.ROOT), "  " + name.replace(" and ", " & ") + " ",
                abbreviation, abbreviation.toLowerCase(Locale.ROOT), "IN-" + abbreviation, code + "ABCDE1234F1Z5")) {
            assertThat(GstStates.resolve(form, "s").code()).as(form).isEqualTo(code);
        }
        // the same state in two spellings is intra-state: CGST + SGST, half each (SGST the smaller half)
        FeeSchedule s = ScheduleBuilder.plain().gst(GstMethod.ON_GROSS, 1800).build();
        FeeBreakdown same = FeeEngine.calculate(new PaymentFacts(1_001, "EVENT", "UPI", code, name.toLowerCase(Locale.ROOT)), s);
        assertThat(same.gstPaise()).isEqualTo(180); // 1,001 × 18 % = 180.18 → 180
        assertThat(same.gstHeads()).isEqualTo(new GstHeads(90, 90, 0));
        // against any other state of the list it is inter-state: IGST
        String other = code.equals("29") ? "27" : "29";
        assertThat(FeeEngine.calculate(new PaymentFacts(1_001, "EVENT", "UPI", abbreviation, other), s).gstHeads())
                .isEqualTo(new GstHeads(0, 0, 180));
    }

    @Test
    void theListHas28StatesEightUnionTerritoriesAndTheSpecialCodes() {
        List<GstState> all = GstStates.all();
        assertThat(all.stream().filter(s -> s.kind() == Kind.STATE && !s.code().equals("28"))).hasSize(28);
        assertThat(all.stream().filter(s -> s.kind() == Kind.UNION_TERRITORY)).hasSize(8);
        assertThat(all.stream().filter(s -> s.kind() == Kind.SPECIAL).map(GstState::code)).containsExactly("96", "97", "99");
        assertThat(all).extracting(GstState::code).doesNotHaveDuplicates().isSorted();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            Orissa                 | 21
            OR                     | 21
            Uttaranchal            | 05
            UT                     | 05
            Pondicherry            | 34
            Jammu & Kashmir        | 01
            NCT of Delhi           | 07
            N.C.T. of Delhi        | 07
            Daman and Diu          | 26
            DD                     | 26
            Dadra and Nagar Haveli | 26
            TG                     | 36
            CT                     | 22
            andaman-and-nicobar-islands | 35
            28                     | 28
            96                     | 96
            99                     | 99
            """)
    void formerNamesAndCodesResolveToTheStateOfToday(String form, String code) {
        assertThat(GstStates.resolve(form, "s").code()).isEqualTo(code);
    }

    @ParameterizedTest
    @ValueSource(strings = {"XX", "Atlantis", "00", "39", "98", "2", "029", "Karnatak", "IN-XX", "KA KA", "25", "25ABCDE1234F1Z5",
            "99ABCDE1234F1Z", "Bengal"})
    void anUnknownStateIsRefusedNamingTheField(String value) {
        assertField(() -> FeeEngine.calculate(new PaymentFacts(1_000, "EVENT", "UPI", "KA", value), FeeSchedules.recommendedDefault()),
                "placeOfSupply");
        assertField(() -> FeeEngine.calculate(new PaymentFacts(1_000, "EVENT", "UPI", value, "KA"), FeeSchedules.recommendedDefault()),
                "supplierState");
        assertField(() -> GstStates.resolve(value, "s"), "s");
    }

    @Test
    void aMissingStateIsInterState() {
        FeeSchedule s = ScheduleBuilder.plain().gst(GstMethod.ON_GROSS, 1800).build();
        for (String[] pair : new String[][] {{"KA", null}, {null, "KA"}, {"", "KA"}, {"KA", "  "}, {null, null}}) {
            assertThat(FeeEngine.calculate(new PaymentFacts(1_000, "EVENT", "UPI", pair[0], pair[1]), s).gstHeads())
                    .isEqualTo(new GstHeads(0, 0, 180));
        }
    }

    /* A supply to another country (96) is inter-state even "from" 96 (IGST Act s.7(5)). */
    @Test
    void otherCountryIsAlwaysInterState() {
        assertThat(GstStates.intraState("96", "96")).isFalse();
        assertThat(GstStates.intraState("97", "OT")).isTrue();
        assertThat(GstStates.intraState("29ABCDE1234F1Z5", "Karnataka")).isTrue();
    }
}
