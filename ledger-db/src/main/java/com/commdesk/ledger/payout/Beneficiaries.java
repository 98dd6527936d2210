package com.commdesk.ledger.payout;

import static com.commdesk.ledger.jooq.Tables.PAYOUT_BENEFICIARY;
import static com.commdesk.ledger.payout.PayoutRows.sha256;

import com.commdesk.ledger.CommunityRepository;
import com.commdesk.ledger.Ledger;
import com.commdesk.ledger.LedgerException;
import com.commdesk.ledger.jooq.tables.records.PayoutBeneficiaryRecord;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/** Beneficiaries of payouts (bank account + IFSC, or a UPI VPA), their registration with Cashfree (changelog 010-payouts.sql). */
public final class Beneficiaries {
    private final Ledger ledger;

    public Beneficiaries(Ledger ledger) {
        this.ledger = ledger;
    }

    public Beneficiaries(DSLContext dsl) {
        this(new Ledger(dsl));
    }

    static final Pattern ACCOUNT = Pattern.compile("[0-9]{9,18}");
    static final Pattern IFSC = Pattern.compile("[A-Z]{4}0[A-Z0-9]{6}");
    /** A UPI id: at most 255 characters in all (changeset 030 holds the database to the same rule). */
    static final Pattern VPA = Pattern.compile("[A-Za-z0-9._-]{2,}@[A-Za-z][A-Za-z0-9]{1,63}");
    static final int VPA_MAX = 255;
    /** Cashfree's beneficiary_name: letters and spaces, at most 100 (Payouts v2 reference). */
    static final Pattern CASHFREE_NAME = Pattern.compile("[A-Za-z ]{1,100}");

    /**
     * A bank account + IFSC, or a UPI VPA (exactly one of the two). {@code payableFrom}: a beneficiary
     * that replaced another, or that someone other than its member set, is paid only from then (null: at once).
     * {@code createdBy}: who set these details first (the token's subject), so a member sees who chose its account.
     */
    public record Beneficiary(String beneficiaryId, String communityId, String role, String userId, String name, String kind,
                              String bankAccountNumber, String bankIfsc, String vpa, OffsetDateTime registeredAt,
                              String cashfreeBeneficiaryId, OffsetDateTime payableFrom, String createdBy, OffsetDateTime createdAt) {
        /** The id to name in transfers: the one Cashfree knows this account by. */
        public String transferBeneficiaryId() {
            return cashfreeBeneficiaryId != null ? cashfreeBeneficiaryId : beneficiaryId;
        }

        /** Cashfree's transfer_mode for this instrument (Cashfree's default, banktransfer, fails for a VPA). */
        public String transferMode() {
            return "UPI".equals(kind) ? "upi" : "banktransfer";
        }
    }

    /**
     * The name as Cashfree accepts it (letters and spaces, at most 100), or null if it cannot be made so
     * without guessing: accents are dropped ("José" -> "Jose"), the punctuation of names ({@code . ' - _ ,})
     * becomes a space ("J. D'Souza" -> "J D Souza"), spaces are collapsed. Digits or other scripts are refused.
     */
    public static String cashfreeName(String name) {
        if (name == null) return null;
        String plain = java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFKD).replaceAll("\\p{M}", "");
        String spaced = plain.replaceAll("[.'\u2019\\-_,]", " ").replaceAll("\\s+", " ").trim();
        return CASHFREE_NAME.matcher(spaced).matches() ? spaced : null;
    }

    /** Why the details are not a valid beneficiary, or null. Checked before anything is stored. */
    public static String invalidBeneficiary(String name, String bankAccountNumber, String bankIfsc, String vpa) {
        if (cashfreeName(name) == null) {
            return "name: Cashfree accepts only letters and spaces (at most 100); accents and . ' - are normalised, digits and"
                    + " other characters are refused";
        }
        boolean bank = bankAccountNumber != null || bankIfsc != null;
        if (bank == (vpa != null)) return "give either bankAccountNumber + ifsc, or vpa";
        if (bank) {
            if (bankAccountNumber == null || !ACCOUNT.matcher(bankAccountNumber).matches()) return "bankAccountNumber: 9-18 digits";
            if (bankIfsc == null || !IFSC.matcher(bankIfsc).matches()) return "ifsc: 4 letters, 0, 6 letters or digits (e.g. HDFC0000001)";
        } else if (vpa.length() > VPA_MAX || !VPA.matcher(vpa).matches()) {
            return "vpa: a UPI id like name@bank";
        }
        return null;
    }

    /**
     * Sets a member's beneficiary. The same details again change nothing; new details make a new
     * beneficiary (new id) and supersede the old one. Payable at once only when it is the member's first and
     * {@code actor} is the member itself; otherwise from now + the community's cooling-off. Returns the current one.
     */
    public Beneficiary saveBeneficiary(String communityId, String role, String userId, String givenName, String bankAccountNumber,
                                       String bankIfsc, String vpa, String actor) {
        String why = invalidBeneficiary(givenName, bankAccountNumber, bankIfsc, vpa);
        if (why != null) throw new IllegalArgumentException(why);
        String name = cashfreeName(givenName);
        String kind = vpa != null ? "UPI" : "BANK";
        String id = "bene_" + sha256(communityId + "|" + role + "|" + userId + "|" + name + "|" + kind + "|" + bankAccountNumber
                + "|" + bankIfsc + "|" + vpa).substring(0, 40);
        var b = PAYOUT_BENEFICIARY;
        return ledger.inTransaction(tx -> {
            tx.select(DSL.field("pg_advisory_xact_lock(hashtext({0}))", Object.class, DSL.val(communityId + "|" + role + "|" + userId))).execute();
            // Someone other than the member (its community's owner) sets beneficiaries of current members only: never an account
            // waiting for a user who has not joined yet (s13). A user sets its own whenever: a former member may be owed money.
            if (!setByItsMember(userId, actor) && !isMemberNow(tx, communityId, role, userId)) {
                throw new LedgerException(LedgerException.Code.NOT_FOUND, userId
                        + " is not a member of role " + role + " of community " + communityId + ": only the user itself sets its"
                        + " beneficiary there");
            }
            // The same details again change nothing, not even when it is payable (an owner saving them again must not hold
            // a member's payouts, nor make them payable sooner).
            boolean alreadyCurrent = tx.fetchExists(b, b.BENEFICIARY_ID.eq(id), b.SUPERSEDED_AT.isNull());
            int replaced = tx.update(b).set(b.SUPERSEDED_AT, DSL.currentOffsetDateTime())
                    .where(b.COMMUNITY_ID.eq(communityId), b.ROLE.eq(role), b.USER_ID.eq(userId), b.SUPERSEDED_AT.isNull(),
                            b.BENEFICIARY_ID.ne(id))
                    .execute();
            tx.insertInto(b).set(b.BENEFICIARY_ID, id).set(b.COMMUNITY_ID, communityId).set(b.ROLE, role).set(b.USER_ID, userId)
                    .set(b.NAME, name).set(b.KIND, kind).set(b.BANK_ACCOUNT_NUMBER, bankAccountNumber).set(b.BANK_IFSC, bankIfsc)
                    .set(b.VPA, vpa).set(b.CREATED_BY, actor).set(b.ACTIVATED_BY, actor)
                    .onConflict(b.BENEFICIARY_ID).doUpdate().setNull(b.SUPERSEDED_AT)
                    // Who made it current (the notice names them, changeset 131): only when it was not current already, so
                    // the same details saved again change nothing.
                    .set(b.ACTIVATED_BY, DSL.when(b.SUPERSEDED_AT.isNotNull(), DSL.val(actor)).otherwise(b.ACTIVATED_BY))
                    .execute();
            Beneficiary saved = tx.selectFrom(b).where(b.BENEFICIARY_ID.eq(id)).fetchSingle(Beneficiaries::beneficiaryOf);
            // The database sets payable_from (changeset 124: now + the community's cooling-off, never earlier than it was) for a
            // changed beneficiary (account-takeover defence) and for one someone else set (an owner may set its members'
            // beneficiaries, never choose where a member's next payout goes before the member can see it). Checked here too.
            if (!alreadyCurrent && (replaced > 0 || !setByItsMember(userId, actor)) && saved.payableFrom() == null) {
                throw new IllegalStateException("beneficiary " + id + " of " + userId + " set by " + actor
                        + " is payable at once: the database's cooling-off (changeset 124) did not apply");
            }
            return saved;
        });
    }

    /**
     * Whether {@code userId} is a member of {@code role} in the community's split now: the split agreement in force (a
     * community onboarded through the API), or the seed's member rows where it has none (review of 54b93a6: only the seed
     * writes community_member, so the check refused every member of an onboarded community).
     */
    private static boolean isMemberNow(DSLContext tx, String communityId, String role, String userId) {
        return new CommunityRepository(tx).find(communityId).stream()
                .flatMap(c -> c.roles().stream()).filter(r -> r.role().equals(role))
                .anyMatch(r -> r.members().stream().anyMatch(m -> m.userId().equals(userId)));
    }

    /**
     * Whether the member itself set its beneficiary: the actor (the token's subject) is the member's user id, compared
     * exactly, as the API's access check compares them. Only then is a first beneficiary payable at once.
     */
    public static boolean setByItsMember(String userId, String actor) {
        return actor != null && actor.equals(userId);
    }

    public Optional<Beneficiary> beneficiary(String beneficiaryId) {
        return ledger.once(tx -> tx.selectFrom(PAYOUT_BENEFICIARY).where(PAYOUT_BENEFICIARY.BENEFICIARY_ID.eq(beneficiaryId))
                .fetchOptional(Beneficiaries::beneficiaryOf));
    }

    public Optional<Beneficiary> currentBeneficiary(String communityId, String role, String userId) {
        var b = PAYOUT_BENEFICIARY;
        return ledger.once(tx -> tx.selectFrom(b)
                .where(b.COMMUNITY_ID.eq(communityId), b.ROLE.eq(role), b.USER_ID.eq(userId), b.SUPERSEDED_AT.isNull())
                .fetchOptional(Beneficiaries::beneficiaryOf));
    }

    private static Beneficiary beneficiaryOf(PayoutBeneficiaryRecord r) {
        return new Beneficiary(r.getBeneficiaryId(), r.getCommunityId(), r.getRole(), r.getUserId(), r.getName(), r.getKind(),
                r.getBankAccountNumber(), r.getBankIfsc(), r.getVpa(), r.getRegisteredAt(), r.getCashfreeBeneficiaryId(),
                r.getPayableFrom(), r.getCreatedBy(), r.getCreatedAt());
    }

    /** Registered with Cashfree under {@code cashfreeBeneficiaryId} (ours, or an existing one for the same account). */
    public void markRegistered(String beneficiaryId, String cashfreeBeneficiaryId) {
        var b = PAYOUT_BENEFICIARY;
        ledger.once(tx -> tx.update(b).set(b.REGISTERED_AT, DSL.coalesce(b.REGISTERED_AT, DSL.currentOffsetDateTime()))
                .set(b.CASHFREE_BENEFICIARY_ID, DSL.coalesce(b.CASHFREE_BENEFICIARY_ID, DSL.val(cashfreeBeneficiaryId)))
                .where(b.BENEFICIARY_ID.eq(beneficiaryId)).execute());
    }

    /** Cashfree no longer knows the beneficiary (removed in its dashboard): register it again before the next transfer. */
    public void markUnregistered(String beneficiaryId) {
        var b = PAYOUT_BENEFICIARY;
        ledger.once(tx -> tx.update(b).setNull(b.REGISTERED_AT).setNull(b.CASHFREE_BENEFICIARY_ID)
                .where(b.BENEFICIARY_ID.eq(beneficiaryId)).execute());
    }
}
