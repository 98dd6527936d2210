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
    static final Pattern ACCOUNT = Pattern.compile("[0-9]{9,18}");
    static final Pattern IFSC = Pattern.compile("[A-Z]{4}0[A-Z0-9]{6}");
    static final Pattern VPA = Pattern.compile("[A-Za-z0-9._-]{2,256}@[A-Za-z][A-Za-z0-9]{1,63}");
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9 .'-]{1,100}");

    private final DSLContext dsl;
    private final LedgerRepository ledger;

    public PayoutRepository(DSLContext dsl) {
        this.dsl = dsl;
        this.ledger = new LedgerRepository(dsl);
    }

    // ---- beneficiaries ---------------------------------------------------------------------------

    /** A bank account + IFSC, or a UPI VPA (exactly one of the two). */
    /** {@code payableFrom}: a beneficiary that replaced another is paid only from then (null: at once). */
    public record Beneficiary(String beneficiaryId, String communityId, String role, String userId, String name, String kind,
                              String bankAccountNumber, String bankIfsc, String vpa, OffsetDateTime registeredAt, OffsetDateTime payableFrom) {}

    /** Why the details are not a valid beneficiary, or null. Checked before anything is stored. */
    public static String invalidBeneficiary(String name, String bankAccountNumber, String bankIfsc, String vpa) {
        if (name == null || !NAME.matcher(name).matches()) return "name: 1-100 letters, digits, spaces, . ' -";
        boolean bank = bankAccountNumber != null || bankIfsc != null;
        if (bank == (vpa != null)) return "give either bankAccountNumber + ifsc, or vpa";
        if (bank) {
            if (bankAccountNumber == null || !ACCOUNT.matcher(bankAccountNumber).matches()) return "bankAccountNumber: 9-18 digits";
            if (bankIfsc == null || !IFSC.matcher(bankIfsc).matches()) return "ifsc: 4 letters, 0, 6 letters or digits (e.g. HDFC0000001)";
        } else if (!VPA.matcher(vpa).matches()) {
            return "vpa: a UPI id like name@bank";
        }
        return null;
    }

    /**
     * Sets a member's beneficiary. The same details again change nothing; new details make a new
     * beneficiary (new id) and supersede the old one. Returns the current one.
     */
    public Beneficiary saveBeneficiary(String communityId, String role, String userId, String name, String bankAccountNumber,
                                       String bankIfsc, String vpa, String actor) {
        String why = invalidBeneficiary(name, bankAccountNumber, bankIfsc, vpa);
        if (why != null) throw new IllegalArgumentException(why);
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
                r.get("registered_at", OffsetDateTime.class), r.get("payable_from", OffsetDateTime.class));
    }

    public void markRegistered(String beneficiaryId) {
        dsl.execute("update payout_beneficiary set registered_at = coalesce(registered_at, now()) where beneficiary_id = ?", beneficiaryId);
    }

    // ---- flags -----------------------------------------------------------------------------------

    /** Flags a recipient for investigation: their payouts need approval until cleared. Idempotent while open. */
    public void flagRecipient(String communityId, String role, String userId, String reason, String actor) {
        dsl.execute("insert into payout_flag (community_id, role, user_id, reason, flagged_by) values (?, ?, ?, ?, ?)"
                + " on conflict (community_id, role, user_id) where cleared_at is null do nothing", communityId, role, userId, reason, actor);
    }

    public int clearFlag(String communityId, String role, String userId, String actor) {
        return dsl.execute("update payout_flag set cleared_at = now(), cleared_by = ? where community_id = ? and role = ?"
                + " and user_id = ? and cleared_at is null", actor, communityId, role, userId);
    }

    /** Flags one payout: it will not be bulk-approved (an individual decision is still possible). */
    public boolean flagPayout(String payoutId, String reason, String actor) {
        int n = dsl.execute("update payout set flagged_reason = ?, updated_at = now() where payout_id = ? and status in"
                + " ('CREATED', 'PENDING_APPROVAL')", reason, payoutId);
        if (n > 0) event(dsl, payoutId, "FLAGGED", actor, reason);
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
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            int created = tx.execute("insert into settlement (settlement_id, community_id, cycle, cut_off, requested_by)"
                    + " values (?, ?, ?, cast(? as timestamptz), ?) on conflict (settlement_id) do nothing", settlementId, communityId, cycle,
                    cutOff.toString(), requestedBy);
            if (created == 0) return payoutsOf(tx, settlementId);
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
            return payoutsOf(tx, settlementId);
        });
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

    /** available -> locked (PAYOUT_LOCK). INSUFFICIENT_FUNDS (nothing written) if the balance is gone. */
    public long lock(String payoutId) {
        Payout p = require(payoutId);
        long journal = ledger.moveMemberFunds(Movement.PAYOUT_LOCK, funds(p, "payout-lock"), "payout " + payoutId + " locked");
        dsl.execute("update payout set lock_journal_id = ?, updated_at = now() where payout_id = ?", journal, payoutId);
        return journal;
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
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            int n = tx.execute("update payout set transfer_requested_at = now(), status = 'SENT', updated_at = now()"
                    + " where payout_id = ? and transfer_requested_at is null", payoutId);
            if (n > 0) event(tx, payoutId, "SENT", null, "transfer requested");
            return n > 0;
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
        Payout p = require(payoutId);
        boolean locked = dsl.fetchExists(dsl.selectOne().from("journal").where("idempotency_key = ?", "payout-lock:" + payoutId));
        Long journal = locked ? ledger.moveMemberFunds(Movement.PAYOUT_FAILED, funds(p, "payout-failed"),
                "payout " + payoutId + " " + finalStatus.toLowerCase(java.util.Locale.ROOT) + ": " + reason) : null;
        dsl.transaction(cfg -> {
            DSLContext tx = cfg.dsl();
            if (journal != null) tx.execute("update payout set failed_journal_id = ? where payout_id = ?", journal, payoutId);
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
