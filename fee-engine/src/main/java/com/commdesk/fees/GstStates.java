package com.commdesk.fees;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The official GST state codes — the first two digits of a GSTIN and the place-of-supply codes of GST
 * returns and e-invoices — and the only way a state enters the fee engine (docs/fees.md, "GST heads").
 *
 * <p>A state may be given as its two-digit code ("29"), a GSTIN ("29ABCDE1234F1Z5": its first two
 * digits), its name ("Karnataka", case and spacing ignored, "&amp;" = "and") or its abbreviation ("KA";
 * the ISO 3166-2:IN code, with "IN-" allowed in front, and the few older codes listed). Anything else
 * is refused: an unknown state is never guessed, and two spellings of one state are one state.
 *
 * <p>Sources: the state code list of the GST portal / NIC e-invoice master (01–38, 97 Other Territory,
 * 99 Centre Jurisdiction, with 28 "Andhra Pradesh (Old)" next to 37) and 96 "Other Country", the place
 * of supply GSTR-1 uses for supplies outside India. 25 (Daman and Diu) ceased on 26 January 2020 when it
 * merged into 26 (Dadra and Nagar Haveli and Daman and Diu) and is refused with that reason.
 */
public final class GstStates {
    private GstStates() {}

    /** What a code stands for. */
    public enum Kind { STATE, UNION_TERRITORY, SPECIAL }

    /**
     * One entry of the list.
     *
     * @param code          the two-digit GST state code
     * @param abbreviations the accepted short forms (ISO 3166-2:IN first), may be empty
     * @param aliases       other accepted names (former or common spellings), may be empty
     */
    public record GstState(String code, String name, Kind kind, List<String> abbreviations, List<String> aliases) {
        public GstState {
            abbreviations = List.copyOf(abbreviations);
            aliases = List.copyOf(aliases);
        }
    }

    private static final List<GstState> ALL = List.of(
            s("01", "Jammu and Kashmir", Kind.UNION_TERRITORY, "JK"),
            s("02", "Himachal Pradesh", Kind.STATE, "HP"),
            s("03", "Punjab", Kind.STATE, "PB"),
            s("04", "Chandigarh", Kind.UNION_TERRITORY, "CH"),
            s("05", "Uttarakhand", Kind.STATE, "UK|UT|UA", "Uttaranchal"),
            s("06", "Haryana", Kind.STATE, "HR"),
            s("07", "Delhi", Kind.UNION_TERRITORY, "DL", "NCT of Delhi|National Capital Territory of Delhi"),
            s("08", "Rajasthan", Kind.STATE, "RJ"),
            s("09", "Uttar Pradesh", Kind.STATE, "UP"),
            s("10", "Bihar", Kind.STATE, "BR"),
            s("11", "Sikkim", Kind.STATE, "SK"),
            s("12", "Arunachal Pradesh", Kind.STATE, "AR"),
            s("13", "Nagaland", Kind.STATE, "NL"),
            s("14", "Manipur", Kind.STATE, "MN"),
            s("15", "Mizoram", Kind.STATE, "MZ"),
            s("16", "Tripura", Kind.STATE, "TR"),
            s("17", "Meghalaya", Kind.STATE, "ML"),
            s("18", "Assam", Kind.STATE, "AS"),
            s("19", "West Bengal", Kind.STATE, "WB"),
            s("20", "Jharkhand", Kind.STATE, "JH"),
            s("21", "Odisha", Kind.STATE, "OD|OR", "Orissa"),
            s("22", "Chhattisgarh", Kind.STATE, "CG|CT", "Chattisgarh"),
            s("23", "Madhya Pradesh", Kind.STATE, "MP"),
            s("24", "Gujarat", Kind.STATE, "GJ"),
            s("26", "Dadra and Nagar Haveli and Daman and Diu", Kind.UNION_TERRITORY, "DH|DN|DD", "Dadra and Nagar Haveli|Daman and Diu"),
            s("27", "Maharashtra", Kind.STATE, "MH"),
            s("28", "Andhra Pradesh (Old)", Kind.STATE, ""),
            s("29", "Karnataka", Kind.STATE, "KA"),
            s("30", "Goa", Kind.STATE, "GA"),
            s("31", "Lakshadweep", Kind.UNION_TERRITORY, "LD"),
            s("32", "Kerala", Kind.STATE, "KL"),
            s("33", "Tamil Nadu", Kind.STATE, "TN"),
            s("34", "Puducherry", Kind.UNION_TERRITORY, "PY", "Pondicherry"),
            s("35", "Andaman and Nicobar Islands", Kind.UNION_TERRITORY, "AN"),
            s("36", "Telangana", Kind.STATE, "TS|TG"),
            s("37", "Andhra Pradesh", Kind.STATE, "AP"),
            s("38", "Ladakh", Kind.UNION_TERRITORY, "LA"),
            s("96", "Other Country", Kind.SPECIAL, ""),
            s("97", "Other Territory", Kind.SPECIAL, "OT"),
            s("99", "Centre Jurisdiction", Kind.SPECIAL, ""));

    /** Code 96: a place of supply outside India — always inter-state (IGST Act s.7(5)). */
    public static final String OTHER_COUNTRY = "96";

    private static final CaseFold.Table<GstState> BY_KEY = index();

    private static GstState s(String code, String name, Kind kind, String abbreviations, String... aliases) {
        return new GstState(code, name, kind, abbreviations.isEmpty() ? List.of() : List.of(abbreviations.split("\\|")),
                aliases.length == 0 ? List.of() : List.of(aliases[0].split("\\|")));
    }

    private static CaseFold.Table<GstState> index() {
        CaseFold.Table.Builder<GstState> b = CaseFold.Table.builder();
        for (GstState st : ALL) {
            List<String> keys = new ArrayList<>();
            keys.add(st.code());
            keys.add(normalise(st.name()));
            for (String a : st.abbreviations()) keys.add(a);
            for (String a : st.aliases()) keys.add(normalise(a));
            for (String k : keys) {
                GstState before = b.put(k, st);
                if (before != null && before != st) {
                    throw new IllegalStateException("'" + k + "' names both " + before.code() + " and " + st.code());
                }
            }
        }
        return b.build();
    }

    /** Every code of the list, in code order. */
    public static List<GstState> all() {
        return ALL;
    }

    /**
     * The state {@code value} names.
     *
     * @throws FeeValidationException on {@code field} when it names no state of the list
     */
    public static GstState resolve(String value, String field) {
        if (value == null) throw new FeeValidationException(field, "is required");
        String v = value.strip();
        GstState st = BY_KEY.get(v);
        if (st != null) return st;
        if (v.length() == 15 && Character.isDigit(v.charAt(0)) && Character.isDigit(v.charAt(1)) && alnum(v)) {
            st = BY_KEY.get(v.substring(0, 2)); // a GSTIN: its state code
        } else if (v.length() == 5 && v.regionMatches(true, 0, "IN-", 0, 3)) {
            st = BY_KEY.get(v.substring(3));
        } else {
            st = BY_KEY.get(normalise(v));
        }
        if (st != null) return st;
        if (v.equals("25") || v.startsWith("25") && v.length() == 15) {
            throw new FeeValidationException(field, "state code 25 (Daman and Diu) ceased on 26 January 2020; use 26 "
                    + "(Dadra and Nagar Haveli and Daman and Diu)");
        }
        throw new FeeValidationException(field, "'" + (v.length() > 40 ? v.substring(0, 40) + "…" : v) + "' is not a GST state: give the "
                + "two-digit GST state code (e.g. 29), a GSTIN, the state's name or its abbreviation (e.g. KA)");
    }

    /** The state's code, or null when {@code value} is null or blank; refuses an unknown state. */
    public static String codeOrNull(String value, String field) {
        return value == null || value.isBlank() ? null : resolve(value, field).code();
    }

    /**
     * Intra-state (CGST + SGST) when both are given and resolve to the same code — except 96 (Other
     * Country), which is always inter-state; otherwise IGST. Refuses unknown states on the two fields.
     */
    public static boolean intraState(String supplierState, String placeOfSupply) {
        String a = codeOrNull(supplierState, "supplierState");
        String b = codeOrNull(placeOfSupply, "placeOfSupply");
        return a != null && a.equals(b) && !OTHER_COUNTRY.equals(a);
    }

    /** Lower case, "&" → "and", dots dropped, runs of blanks, hyphens and underscores → one space. */
    static String normalise(String s) {
        String t = s.replace("&", " and ").replace(".", "").toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(t.length());
        for (String part : t.split("[\\s_-]+")) {
            if (part.isEmpty()) continue;
            if (!out.isEmpty()) out.append(' ');
            out.append(part);
        }
        return out.toString();
    }

    private static boolean alnum(String v) {
        for (int i = 0; i < v.length(); i++) if (!Character.isLetterOrDigit(v.charAt(i)) || v.charAt(i) > 127) return false;
        return true;
    }
}
