package com.commdesk.ledger.payouts;

import com.commdesk.ledger.LedgerException;
import com.commdesk.ledger.LedgerRepository;
import com.commdesk.ledger.LedgerRepository.MemberFunds;
import com.commdesk.ledger.LedgerRepository.Movement;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jooq.DSLContext;
import org.jooq.Record;

/**
 * Settlements, payouts, beneficiaries and finance flags (changelog 010-payouts.sql). Every method is
 * idempotent: a retried activity writes nothing new. Money moves only through
 * {@link LedgerRepository#moveMemberFunds}, keyed per payout ("payout-lock:&lt;id&gt;", ...), so each
 * journal of a payout exists at most once whatever is retried.
 */
public final class PayoutRepository {
    public static final Set<String> TERMINAL = Set.of("PAID", "FAILED", "REJECTED", "REVERSED");
    /** At most this many payouts in one page of a settlement (no activity result carries them all). */
    public static final int MAX_PAGE = 1000;
    static final Pattern ACCOUNT = Pattern.compile("[0-9]{9,18}");
    static final Pattern IFSC = Pattern.compile("[A-Z]{4}0[A-Z0-9]{6}");
    /** A UPI id: at most 255 characters in all (changeset 030 holds the database to the same rule). */
    static final Pattern VPA = Pattern.compile("[A-Za-z0-9._-]{2,}@[A-Za-z][A-Za-z0-9]{1,63}");
    static final int VPA_MAX = 255;
    /** Cashfree's beneficiary_name: letters and spaces, at most 100 (Payouts v2 reference). */
    static final Pattern CASHFREE_NAME = Pattern.compile("[A-Za-z ]{1,100}");

    private final DSLContext dsl;
    private final LedgerRepository ledger;

    public PayoutRepository(DSLContext dsl) {
        this.dsl = dsl;
        this.ledger = new LedgerRepository(dsl);
    }

    // ---- beneficiaries ---------------------------------------------------------------------------

    /**
     * A bank account + IFSC, or a UPI VPA (exactly one of the two). {@code payableFrom}: a beneficiary
     * that replaced another is paid only from then (null: at once).
     */
    public record Beneficiary(String beneficiaryId, String communityId, String role, String userId, String name, String kind,
                              String bankAccountNumber, String bankIfsc, String vpa, OffsetDateTime registeredAt,
                              String cashfreeBeneficiaryId, OffsetDateTime payableFrom) {
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
     * beneficiary (new id) and supersede the old one. Returns the current one.
     */
    public Beneficiary saveBeneficiary(String communityId, String role, String userId, String givenName, String bankAccountNumber,
                                       String bankIfsc, String vpa, String actor) {
        String why = invalidBeneficiary(givenName, bankAccountNumber, bankIfsc, vpa);
        if (why != null) throw new IllegalArgumentException(why);
        String name = cashfreeName(givenName);
        String kind = vpa != null ? "UPI" : "BANK";
        String id = "bene_" + sha256(communityId + "|" + role + "|" + userId + "|" + name + "|" + kind + "|" + bankAccountNumber
                + "|" + bankIfsc + "|" + vpa).substring(0, 40);
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            tx.execute("select pg_advisory_xact_lock(hashtext(?))", communityId + "|" + role + "|" + userId);
            int replaced = tx.execute("update payout_beneficiary set superseded_at = now() where community_id = ? and role = ? and user_id = ?"
                    + " and superseded_at is null and beneficiary_id <> ?", communityId, role, userId, id);
            tx.execute("insert into payout_beneficiary (beneficiary_id, community_id, role, user_id, name, kind, bank_account_number,"
                    + " bank_ifsc, vpa, created_by) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (beneficiary_id) do update"
                    + " set superseded_at = null", id, communityId, role, userId, name, kind, bankAccountNumber, bankIfsc, vpa, actor);
            if (replaced > 0) {
                // A changed beneficiary is paid only after the community's cooling-off period (account-takeover defence).
                tx.execute("update payout_beneficiary b set payable_from = now() + make_interval(hours => c.beneficiary_cooling_off_hours)"
                        + " from community c where c.community_id = b.community_id and b.beneficiary_id = ?", id);
            }
            return beneficiaryById(tx, id).orElseThrow();
        });
    }

    public Optional<Beneficiary> beneficiary(String beneficiaryId) {
        return beneficiaryById(dsl, beneficiaryId);
    }

    public Optional<Beneficiary> currentBeneficiary(String communityId, String role, String userId) {
        return dsl.fetchOptional("select * from payout_beneficiary where community_id = ? and role = ? and user_id = ?"
                + " and superseded_at is null", communityId, role, userId).map(PayoutRepository::beneficiaryOf);
    }

    private static Optional<Beneficiary> beneficiaryById(DSLContext tx, String id) {
        return tx.fetchOptional("select * from payout_beneficiary where beneficiary_id = ?", id).map(PayoutRepository::beneficiaryOf);
    }

    private static Beneficiary beneficiaryOf(Record r) {
        return new Beneficiary(r.get("beneficiary_id", String.class), r.get("community_id", String.class), r.get("role", String.class),
                r.get("user_id", String.class), r.get("name", String.class), r.get("kind", String.class),
                r.get("bank_account_number", String.class), r.get("bank_ifsc", String.class), r.get("vpa", String.class),
                r.get("registered_at", OffsetDateTime.class), r.get("cashfree_beneficiary_id", String.class),
                r.get("payable_from", OffsetDateTime.class));
    }

    /** Registered with Cashfree under {@code cashfreeBeneficiaryId} (ours, or an existing one for the same account). */
    public void markRegistered(String beneficiaryId, String cashfreeBeneficiaryId) {
        dsl.execute("update payout_beneficiary set registered_at = coalesce(registered_at, now()),"
                + " cashfree_beneficiary_id = coalesce(cashfree_beneficiary_id, ?) where beneficiary_id = ?", cashfreeBeneficiaryId, beneficiaryId);
    }

    /** Cashfree no longer knows the beneficiary (removed in its dashboard): register it again before the next transfer. */
    public void markUnregistered(String beneficiaryId) {
        dsl.execute("update payout_beneficiary set registered_at = null, cashfree_beneficiary_id = null where beneficiary_id = ?", beneficiaryId);
    }

    // ---- flags -----------------------------------------------------------------------------------

    /** Flags a recipient for investigation: their payouts need approval until cleared. Idempotent while open. */
    public void flagRecipient(String communityId, String role, String userId, String reason, String actor) {
        dsl.transaction(cfg -> {
            DSLContext tx = cfg.dsl();
            tx.execute("insert into payout_flag (community_id, role, user_id, reason, flagged_by) values (?, ?, ?, ?, ?)"
                    + " on conflict (community_id, role, user_id) where cleared_at is null do nothing", communityId, role, userId, reason, actor);
            // Their payouts not yet sent wait for an approval too (row locks order this against markTransferRequested).
            for (String id : tx.fetch("select payout_id from payout where community_id = ? and role = ? and user_id = ?"
                    + " and transfer_requested_at is null and status in ('CREATED', 'PENDING_APPROVAL', 'APPROVED')", communityId, role, userId)
                    .getValues(0, String.class)) {
                flag(tx, id, "recipient flagged: " + reason, actor);
            }
        });
    }

    public int clearFlag(String communityId, String role, String userId, String actor) {
        return dsl.execute("update payout_flag set cleared_at = now(), cleared_by = ? where community_id = ? and role = ?"
                + " and user_id = ? and cleared_at is null", actor, communityId, role, userId);
    }

    /**
     * Flags one payout not yet sent: it will not be bulk-approved, and it waits for an individual
     * approval before its transfer (an approval given before the flag no longer counts). False if the
     * transfer was already requested (too late).
     */
    public boolean flagPayout(String payoutId, String reason, String actor) {
        return dsl.transactionResult(cfg -> flag(cfg.dsl(), payoutId, reason, actor));
    }

    private static boolean flag(DSLContext tx, String payoutId, String reason, String actor) {
        int n = tx.execute("update payout set flagged_reason = ?, needs_approval = true, decided_by = null, updated_at = now(),"
                + " status = case when status = 'APPROVED' then 'PENDING_APPROVAL' else status end"
                + " where payout_id = ? and transfer_requested_at is null and status in ('CREATED', 'PENDING_APPROVAL', 'APPROVED')",
                reason, payoutId);
        if (n > 0) event(tx, payoutId, "FLAGGED", actor, reason);
        return n > 0;
    }

    // ---- settlements -----------------------------------------------------------------------------

    public record Payout(String payoutId, String settlementId, String communityId, String role, String userId,
                         String beneficiaryId, long amountPaise, String requestedBy, String status, boolean needsApproval,
                         String flaggedReason, String decidedBy, OffsetDateTime transferRequestedAt, String cfTransferId,
                         String cashfreeStatus, String reason, OffsetDateTime createdAt, OffsetDateTime paidAt) {}

    public record Settlement(String settlementId, String communityId, String cycle, OffsetDateTime cutOff, String requestedBy,
                             String status, int payoutCount, long totalPaise, long paidPaise, int skippedNoBeneficiary,
                             OffsetDateTime createdAt, OffsetDateTime completedAt) {}

    public record CommunityPolicy(String communityId, String payoutPolicy, long minPayoutPaise) {}

    public Optional<CommunityPolicy> policy(String communityId) {
        return dsl.fetchOptional("select community_id, payout_policy, min_payout_paise from community where community_id = ?", communityId)
                .map(r -> new CommunityPolicy(r.get(0, String.class), r.get(1, String.class), r.get(2, Long.class)));
    }

    /** A payout id Cashfree accepts as transfer_id (alphanumeric and _, at most 40), derived from settlement and member. */
    public static String payoutId(String settlementId, String role, String userId) {
        return "po_" + sha256(settlementId + "|" + role + "|" + userId).substring(0, 32);
    }

    /**
     * Opens a settlement and creates one payout per member whose AVAILABLE balance is at least the
     * community's minimum payout (and who has a beneficiary). The amounts are the balances at this
     * moment; the payouts lock them later. Idempotent: a settlement that exists returns its payouts
     * unchanged. Payouts above {@code approvalThresholdPaise} or of a flagged recipient need approval.
     */
    public List<Payout> openSettlement(String settlementId, String communityId, String cycle, OffsetDateTime cutOff,
                                       String requestedBy, long approvalThresholdPaise) {
        open(settlementId, communityId, cycle, cutOff, requestedBy, approvalThresholdPaise);
        return payoutsOf(settlementId);
    }

    /** As {@link #openSettlement}, but returns only how many payouts the settlement has; read them by {@link #payoutPage}. */
    public int open(String settlementId, String communityId, String cycle, OffsetDateTime cutOff, String requestedBy,
                    long approvalThresholdPaise) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            int created = tx.execute("insert into settlement (settlement_id, community_id, cycle, cut_off, requested_by)"
                    + " values (?, ?, ?, cast(? as timestamptz), ?) on conflict (settlement_id) do nothing", settlementId, communityId, cycle,
                    cutOff.toString(), requestedBy);
            if (created == 0) return tx.fetchCount(tx.selectFrom("payout").where("settlement_id = ?", settlementId));
            var rows = tx.fetch("""
                    select w.role, w.user_id, w.available_paise, b.beneficiary_id, f.reason
                      from member_wallet w join community c using (community_id)
                      left join payout_beneficiary b on b.community_id = w.community_id and b.role = w.role
                                                    and b.user_id = w.user_id and b.superseded_at is null
                                                    and coalesce(b.payable_from, '-infinity') <= now()
                      left join payout_flag f on f.community_id = w.community_id and f.role = w.role
                                             and f.user_id = w.user_id and f.cleared_at is null
                     where w.community_id = ? and w.available_paise > 0 and w.available_paise >= c.min_payout_paise
                     order by w.role, w.user_id
                    """, communityId);
            int skipped = 0;
            long total = 0;
            int count = 0;
            for (var r : rows) {
                String role = r.get(0, String.class), user = r.get(1, String.class), bene = r.get(3, String.class), flag = r.get(4, String.class);
                long amount = r.get(2, Long.class);
                if (bene == null) {
                    skipped++;
                    continue;
                }
                boolean needsApproval = amount > approvalThresholdPaise || flag != null;
                String id = payoutId(settlementId, role, user);
                tx.execute("insert into payout (payout_id, settlement_id, community_id, role, user_id, beneficiary_id, amount_paise,"
                        + " requested_by, needs_approval, flagged_reason) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        id, settlementId, communityId, role, user, bene, amount, requestedBy, needsApproval, flag);
                event(tx, id, "CREATED", requestedBy, "settlement " + settlementId + (flag != null ? "; recipient flagged: " + flag : ""));
                total += amount;
                count++;
            }
            tx.execute("update settlement set payout_count = ?, total_paise = ?, skipped_no_beneficiary = ? where settlement_id = ?",
                    count, total, skipped, settlementId);
            return count;
        });
    }

    /** The settlement's payouts after {@code afterPayoutId} (null: from the first), in payout id order, at most {@code limit}. */
    public List<Payout> payoutPage(String settlementId, String afterPayoutId, int limit) {
        if (limit < 1 || limit > MAX_PAGE) throw new IllegalArgumentException("limit must be 1.." + MAX_PAGE);
        return dsl.fetch("select * from payout where settlement_id = ? and payout_id > coalesce(cast(? as text), '')"
                + " order by payout_id limit ?", settlementId, afterPayoutId, limit).map(PayoutRepository::payoutOf);
    }

    public List<Payout> payoutsOf(String settlementId) {
        return payoutsOf(dsl, settlementId);
    }

    private static List<Payout> payoutsOf(DSLContext tx, String settlementId) {
        return tx.fetch("select * from payout where settlement_id = ? order by payout_id", settlementId).map(PayoutRepository::payoutOf);
    }

    public Optional<Payout> payout(String payoutId) {
        return dsl.fetchOptional("select * from payout where payout_id = ?", payoutId).map(PayoutRepository::payoutOf);
    }

    private static Payout payoutOf(Record r) {
        return new Payout(r.get("payout_id", String.class), r.get("settlement_id", String.class), r.get("community_id", String.class),
                r.get("role", String.class), r.get("user_id", String.class), r.get("beneficiary_id", String.class),
                r.get("amount_paise", Long.class), r.get("requested_by", String.class), r.get("status", String.class),
                r.get("needs_approval", Boolean.class), r.get("flagged_reason", String.class), r.get("decided_by", String.class),
                r.get("transfer_requested_at", OffsetDateTime.class), r.get("cf_transfer_id", String.class),
                r.get("cashfree_status", String.class), r.get("reason", String.class), r.get("created_at", OffsetDateTime.class),
                r.get("paid_at", OffsetDateTime.class));
    }

    public Optional<Settlement> settlement(String settlementId) {
        return dsl.fetchOptional("select * from settlement where settlement_id = ?", settlementId).map(r -> new Settlement(
                r.get("settlement_id", String.class), r.get("community_id", String.class), r.get("cycle", String.class),
                r.get("cut_off", OffsetDateTime.class), r.get("requested_by", String.class), r.get("status", String.class),
                r.get("payout_count", Integer.class), r.get("total_paise", Long.class), r.get("paid_paise", Long.class),
                r.get("skipped_no_beneficiary", Integer.class), r.get("created_at", OffsetDateTime.class),
                r.get("completed_at", OffsetDateTime.class)));
    }

    /**
     * The settlement's status from its payouts: PENDING while any awaits approval, APPROVED while
     * any is on its way, then PAID if every payout was paid, REVERSED if a paid one came back, else
     * FAILED (some failed or were rejected; the payouts say which). Returns it.
     */
    public String refreshSettlement(String settlementId) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            Map<String, Long> counts = new LinkedHashMap<>();
            tx.fetch("select status, count(*) from payout where settlement_id = ? group by status", settlementId)
                    .forEach(r -> counts.put(r.get(0, String.class), r.get(1, Long.class)));
            long all = counts.values().stream().mapToLong(Long::longValue).sum();
            long open = all - TERMINAL.stream().mapToLong(s -> counts.getOrDefault(s, 0L)).sum();
            String status;
            if (counts.getOrDefault("PENDING_APPROVAL", 0L) > 0 || counts.getOrDefault("CREATED", 0L) > 0) status = "PENDING";
            else if (open > 0) status = "APPROVED";
            else if (counts.getOrDefault("REVERSED", 0L) > 0) status = "REVERSED";
            else if (counts.getOrDefault("PAID", 0L) == all) status = "PAID";
            else status = "FAILED";
            long paid = Optional.ofNullable(tx.fetchValue("select coalesce(sum(amount_paise), 0) from payout where settlement_id = ?"
                    + " and status = 'PAID'", settlementId)).map(v -> ((Number) v).longValue()).orElse(0L);
            tx.execute("update settlement set status = ?, paid_paise = ?, completed_at = case when ? then coalesce(completed_at, now())"
                    + " else completed_at end where settlement_id = ?", status, paid, open == 0, settlementId);
            return status;
        });
    }

    // ---- a payout's life -------------------------------------------------------------------------

    private Payout require(String payoutId) {
        return payout(payoutId).orElseThrow(() -> new LedgerException(LedgerException.Code.NOT_FOUND, "no payout " + payoutId));
    }

    private MemberFunds funds(Payout p, String prefix) {
        return new MemberFunds(prefix + ":" + p.payoutId(), p.communityId(), p.role(), p.userId(), p.amountPaise());
    }

    /**
     * available -> locked (PAYOUT_LOCK), and the journal recorded on the payout, in one transaction
     * that holds the payout's row: INSUFFICIENT_FUNDS (nothing written) if the balance is gone, and
     * INVALID_POSTING (nothing written) if the payout has already ended. So a lock attempt that runs on
     * after its activity timed out (a "zombie") and commits late can never lock the money of a payout
     * whose workflow has since released it: {@link #release} takes the same row lock and decides from
     * what is recorded there.
     */
    public long lock(String payoutId) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            Record row = tx.fetchOptional("select status, lock_journal_id from payout where payout_id = ? for update", payoutId)
                    .orElseThrow(() -> new LedgerException(LedgerException.Code.NOT_FOUND, "no payout " + payoutId));
            Long existing = row.get("lock_journal_id", Long.class);
            if (existing != null) return existing;
            if (TERMINAL.contains(row.get("status", String.class))) {
                throw new LedgerException(LedgerException.Code.INVALID_POSTING, "payout " + payoutId + " has ended ("
                        + row.get("status", String.class) + "): nothing is locked for it any more");
            }
            Payout p = payoutOf(tx.fetchOne("select * from payout where payout_id = ?", payoutId));
            long journal = new LedgerRepository(tx).moveMemberFunds(Movement.PAYOUT_LOCK, funds(p, "payout-lock"), "payout " + payoutId + " locked");
            tx.execute("update payout set lock_journal_id = ?, updated_at = now() where payout_id = ?", journal, payoutId);
            return journal;
        });
    }

    /** Status change with an audit event. Terminal statuses never change, except PAID -> REVERSED. */
    public boolean setStatus(String payoutId, String status, String actor, String detail) {
        return dsl.transactionResult(cfg -> setStatus(cfg.dsl(), payoutId, status, actor, detail));
    }

    private static boolean setStatus(DSLContext tx, String payoutId, String status, String actor, String detail) {
        int n = tx.execute("update payout set status = ?, reason = coalesce(?, reason), updated_at = now() where payout_id = ?"
                + " and status <> ? and (status not in ('PAID', 'FAILED', 'REJECTED', 'REVERSED') or (status = 'PAID' and ? = 'REVERSED'))",
                status, detail, payoutId, status, status);
        if (n > 0) event(tx, payoutId, status, actor, detail);
        return n > 0;
    }

    /** Records the approver's decision (four eyes: the database refuses the requester as approver). */
    public void recordDecision(String payoutId, boolean approved, String approver, String note) {
        dsl.transaction(cfg -> {
            DSLContext tx = cfg.dsl();
            tx.execute("update payout set decided_by = ? where payout_id = ? and decided_by is null", approver, payoutId);
            setStatus(tx, payoutId, approved ? "APPROVED" : "REJECTED", approver, note);
        });
    }

    /**
     * Marks the moment before the one transfer request. True only the first time: a retried
     * activity learns the transfer may already exist and must ask Cashfree instead of sending again.
     */
    public boolean markTransferRequested(String payoutId) {
        return sendPermit(payoutId) == SendPermit.MARKED;
    }

    /** What {@link #sendPermit} found. */
    public enum SendPermit {
        /** Marked now: this caller sends the one transfer. */
        MARKED,
        /** Marked before: an earlier attempt may have reached Cashfree; ask, never send blindly. */
        ALREADY_MARKED,
        /** Flagged (payout or recipient) and not approved since: nothing may be sent until an approval. */
        NEEDS_APPROVAL
    }

    /**
     * Marks the moment before the one transfer request, unless the payout or its recipient is flagged
     * and no approval has been recorded since (a flag raised before SENT makes the payout wait). One
     * conditional UPDATE of the payout's row: a concurrent flag either lands first (and the payout
     * waits) or finds the transfer requested (and reports "too late").
     */
    public SendPermit sendPermit(String payoutId) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            int n = tx.execute("""
                    update payout p set transfer_requested_at = now(), status = 'SENT', updated_at = now()
                     where p.payout_id = ? and p.transfer_requested_at is null
                       and (p.decided_by is not null
                            or (p.flagged_reason is null and not exists (
                                    select 1 from payout_flag f where f.community_id = p.community_id and f.role = p.role
                                       and f.user_id = p.user_id and f.cleared_at is null)))
                    """, payoutId);
            if (n > 0) {
                event(tx, payoutId, "SENT", null, "transfer requested");
                return SendPermit.MARKED;
            }
            Record r = tx.fetchOne("select transfer_requested_at from payout where payout_id = ?", payoutId);
            if (r == null) throw new LedgerException(LedgerException.Code.NOT_FOUND, "no payout " + payoutId);
            return r.get(0) != null ? SendPermit.ALREADY_MARKED : SendPermit.NEEDS_APPROVAL;
        });
    }

    public void recordCashfree(String payoutId, String cfTransferId, String status, String statusCode) {
        dsl.execute("update payout set cf_transfer_id = coalesce(?, cf_transfer_id), cashfree_status = ?, cashfree_status_code = ?,"
                + " updated_at = now() where payout_id = ?", cfTransferId, status, statusCode, payoutId);
    }

    /** locked -> paid out (PAYOUT_PAID). Idempotent. Returns the time the payout was first marked paid. */
    public OffsetDateTime markPaid(String payoutId) {
        Payout p = require(payoutId);
        long journal = ledger.moveMemberFunds(Movement.PAYOUT_PAID, funds(p, "payout-paid"), "payout " + payoutId + " paid");
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            tx.execute("update payout set paid_journal_id = ?, paid_at = coalesce(paid_at, now()) where payout_id = ?", journal, payoutId);
            setStatus(tx, payoutId, "PAID", null, null);
            return tx.fetchOne("select paid_at from payout where payout_id = ?", payoutId).get(0, OffsetDateTime.class);
        });
    }

    /**
     * Compensation: locked -> available (PAYOUT_FAILED), with the reason, and the final status
     * (FAILED or REJECTED). If nothing was locked, only the status is recorded. Idempotent.
     */
    public void release(String payoutId, String finalStatus, String reason) {
        dsl.transaction(cfg -> {
            DSLContext tx = cfg.dsl();
            // The payout's row is held, so a late lock (see lock) either committed before this and is seen, or
            // waits and then finds the payout ended.
            Record row = tx.fetchOptional("select lock_journal_id, failed_journal_id from payout where payout_id = ? for update", payoutId)
                    .orElseThrow(() -> new LedgerException(LedgerException.Code.NOT_FOUND, "no payout " + payoutId));
            // The lock record decides; a PAYOUT_LOCK journal under the payout's key (a lock from before lock_journal_id
            // was written in the same transaction) counts too, but never a journal of another kind: a client's payment
            // whose Idempotency-Key is "payout-lock:<id>" locked nothing.
            boolean locked = row.get("lock_journal_id", Long.class) != null
                    || tx.fetchExists(tx.selectOne().from("journal").where("idempotency_key = ? and kind = 'PAYOUT_LOCK'",
                            "payout-lock:" + payoutId));
            if (locked && row.get("failed_journal_id", Long.class) == null) {
                Payout p = payoutOf(tx.fetchOne("select * from payout where payout_id = ?", payoutId));
                long journal = new LedgerRepository(tx).moveMemberFunds(Movement.PAYOUT_FAILED, funds(p, "payout-failed"),
                        "payout " + payoutId + " " + finalStatus.toLowerCase(java.util.Locale.ROOT) + ": " + reason);
                tx.execute("update payout set failed_journal_id = ? where payout_id = ?", journal, payoutId);
            }
            setStatus(tx, payoutId, finalStatus, null, reason);
        });
    }

    /**
     * A paid transfer came back (late REVERSED): PAYOUT_REVERSED (payout balance -> locked, the exact
     * negation of PAYOUT_PAID) then PAYOUT_FAILED (locked -> available). The member's wallet is
     * exactly as before the payout; paid-out totals go down. Idempotent.
     */
    public void reversePaid(String payoutId, String reason) {
        Payout p = require(payoutId);
        long reversed = ledger.moveMemberFunds(Movement.PAYOUT_REVERSED, funds(p, "payout-reversed"),
                "payout " + payoutId + " reversed by the bank after success: " + reason);
        long failed = ledger.moveMemberFunds(Movement.PAYOUT_FAILED, funds(p, "payout-failed"),
                "payout " + payoutId + " returned to available after reversal: " + reason);
        dsl.transaction(cfg -> {
            DSLContext tx = cfg.dsl();
            tx.execute("update payout set reversed_journal_id = ?, failed_journal_id = ? where payout_id = ?", reversed, failed, payoutId);
            setStatus(tx, payoutId, "REVERSED", null, reason);
        });
    }

    /**
     * The transfer's outcome is still unknown after the bounded wait: NEEDS_ATTENTION for finance (the
     * money stays locked). Idempotent; the first time counts. Returns whether it changed now.
     */
    public boolean markNeedsAttention(String payoutId, String why) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            int n = tx.execute("update payout set status = 'NEEDS_ATTENTION', attention_since = coalesce(attention_since, now()),"
                    + " reason = ?, updated_at = now() where payout_id = ? and status in ('CREATED', 'APPROVED', 'SENT')", why, payoutId);
            if (n > 0) event(tx, payoutId, "NEEDS_ATTENTION", null, why);
            return n > 0;
        });
    }

    /** Payouts waiting for finance (oldest first), optionally of one community. */
    public List<Payout> needingAttention(String communityId, int limit) {
        return dsl.fetch("select * from payout where status = 'NEEDS_ATTENTION' and (cast(? as text) is null or community_id = ?)"
                + " order by attention_since, payout_id limit ?", communityId, communityId, limit).map(PayoutRepository::payoutOf);
    }

    public long countNeedingAttention() {
        return dsl.fetchCount(dsl.selectFrom("payout").where("status = 'NEEDS_ATTENTION'"));
    }

    /** A finance resolution of a NEEDS_ATTENTION payout; {@code ready} when it may be acted on. */
    public record Resolution(String outcome, String requestedBy, String confirmedBy, boolean ready) {}

    /** The person confirming "failed" is the one who asked for it (four eyes). */
    public static final class FourEyesViolation extends RuntimeException {
        public FourEyesViolation(String message) {
            super(message);
        }
    }

    /**
     * Finance resolves a payout whose outcome Cashfree has not told us. "PAID" (Cashfree's dashboard or
     * the bank shows it paid) is ready at once: it releases no money. "FAILED" returns the money to
     * the member, so it needs two people: the first call records the request, a second call by someone
     * else confirms it (the same person again: {@link FourEyesViolation}; the database refuses it too).
     */
    public Resolution resolve(String payoutId, String outcome, String actor, String note) {
        if (!"PAID".equals(outcome) && !"FAILED".equals(outcome)) throw new IllegalArgumentException("outcome must be PAID or FAILED");
        if (actor == null || actor.isBlank()) throw new IllegalArgumentException("an actor is required");
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            Record r = tx.fetchOptional("select status, resolution_outcome, resolution_requested_by, resolution_confirmed_by"
                    + " from payout where payout_id = ? for update", payoutId)
                    .orElseThrow(() -> new LedgerException(LedgerException.Code.NOT_FOUND, "no payout " + payoutId));
            if (!"NEEDS_ATTENTION".equals(r.get("status", String.class))) {
                throw new IllegalStateException("payout " + payoutId + " is " + r.get("status", String.class) + ", not NEEDS_ATTENTION");
            }
            String requested = r.get("resolution_requested_by", String.class);
            boolean confirming = "FAILED".equals(outcome) && "FAILED".equals(r.get("resolution_outcome", String.class)) && requested != null;
            if (confirming) {
                if (requested.equalsIgnoreCase(actor)) {
                    throw new FourEyesViolation("'confirm failed' of payout " + payoutId + " was requested by " + requested
                            + "; someone else must confirm it");
                }
                tx.execute("update payout set resolution_confirmed_by = ?, updated_at = now() where payout_id = ?", actor, payoutId);
                event(tx, payoutId, "RESOLVE_CONFIRMED", actor, "FAILED" + (note == null ? "" : ": " + note));
                return new Resolution("FAILED", requested, actor, true);
            }
            tx.execute("update payout set resolution_outcome = ?, resolution_requested_by = ?, resolution_confirmed_by = null,"
                    + " updated_at = now() where payout_id = ?", outcome, actor, payoutId);
            event(tx, payoutId, "RESOLVE_REQUESTED", actor, outcome + (note == null ? "" : ": " + note));
            return new Resolution(outcome, actor, null, "PAID".equals(outcome));
        });
    }

    /**
     * Cashfree reports SUCCESS for a payout whose money we had returned to the member (its workflow
     * had ended FAILED or REJECTED): the payout is posted by its own journals: PAYOUT_LOCK again
     * (available -> locked, key "payout-relock:&lt;id&gt;") and PAYOUT_PAID. INSUFFICIENT_FUNDS (nothing
     * written) if the member no longer has the money: finance must look. Idempotent.
     */
    public void latePaid(String payoutId, String detail) {
        dsl.transaction(cfg -> {
            DSLContext tx = cfg.dsl();
            Payout p = payoutOf(tx.fetchOptional("select * from payout where payout_id = ? for update", payoutId)
                    .orElseThrow(() -> new LedgerException(LedgerException.Code.NOT_FOUND, "no payout " + payoutId)));
            if ("PAID".equals(p.status())) return;
            if (!"FAILED".equals(p.status()) && !"REJECTED".equals(p.status())) {
                throw new IllegalStateException("payout " + payoutId + " is " + p.status() + ": its workflow decides");
            }
            LedgerRepository books = new LedgerRepository(tx);
            boolean released = tx.fetchValue("select failed_journal_id from payout where payout_id = ?", payoutId) != null;
            if (released) books.moveMemberFunds(Movement.PAYOUT_LOCK, funds(p, "payout-relock"), "payout " + payoutId + " paid after all: locked again");
            long paid = books.moveMemberFunds(Movement.PAYOUT_PAID, funds(p, "payout-paid"), "payout " + payoutId + " paid (late SUCCESS)");
            tx.execute("update payout set paid_journal_id = ?, paid_at = coalesce(paid_at, now()), status = 'PAID', updated_at = now()"
                    + " where payout_id = ?", paid, payoutId);
            event(tx, payoutId, "PAID", "cashfree", "late SUCCESS: " + detail);
        });
    }

    public void recordEvent(String payoutId, String status, String actor, String detail) {
        event(dsl, payoutId, status, actor, detail);
    }

    private static void event(DSLContext tx, String payoutId, String status, String actor, String detail) {
        tx.execute("insert into payout_event (payout_id, status, actor, detail) values (?, ?, ?, ?)", payoutId, status, actor,
                detail == null ? null : detail.length() > 1000 ? detail.substring(0, 1000) : detail);
    }

    public record PayoutEvent(String status, String actor, String detail, OffsetDateTime at) {}

    public List<PayoutEvent> events(String payoutId) {
        return dsl.fetch("select status, actor, detail, created_at from payout_event where payout_id = ? order by payout_event_id", payoutId)
                .map(r -> new PayoutEvent(r.get(0, String.class), r.get(1, String.class), r.get(2, String.class), r.get(3, OffsetDateTime.class)));
    }

    // ---- finance review --------------------------------------------------------------------------

    public record RecipientGroup(String communityId, String role, String userId, long totalPaise, List<Payout> payouts) {}

    /** Payouts awaiting approval (optionally of one community), grouped by recipient. */
    public List<RecipientGroup> pendingByRecipient(String communityId, int limit) {
        var rows = dsl.fetch("select * from payout where status = 'PENDING_APPROVAL' and (cast(? as text) is null or community_id = ?)"
                + " order by community_id, role, user_id, created_at limit ?", communityId, communityId, limit).map(PayoutRepository::payoutOf);
        Map<String, List<Payout>> groups = new LinkedHashMap<>();
        for (Payout p : rows) groups.computeIfAbsent(p.communityId() + "\u0000" + p.role() + "\u0000" + p.userId(), k -> new ArrayList<>()).add(p);
        List<RecipientGroup> out = new ArrayList<>();
        for (List<Payout> g : groups.values()) {
            Payout first = g.get(0);
            out.add(new RecipientGroup(first.communityId(), first.role(), first.userId(),
                    g.stream().mapToLong(Payout::amountPaise).sum(), List.copyOf(g)));
        }
        return out;
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
