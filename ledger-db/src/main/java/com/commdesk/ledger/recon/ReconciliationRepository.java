package com.commdesk.ledger.recon;

import com.commdesk.ledger.AccountCodes;
import com.commdesk.ledger.Ledger;
import com.commdesk.ledger.ReconAdjustments;
import com.commdesk.ledger.recon.ReconException.Kind;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.impl.DSL;

/**
 * Reconciliation of Cashfree's settlement data against our revenue transactions (docs/reconciliation.md).
 *
 * <p>{@link #ingest} stores Cashfree's lines and records every difference as an exception, in one
 * transaction; it is idempotent: the same run key, the same lines and the same differences land on the
 * same rows. {@link #adjust} resolves an exception with a balanced ADJUSTMENT journal, {@link #explain}
 * without one; both once, audited, and idempotent.
 */
public final class ReconciliationRepository {
    public static final int MAX_PAGE = 500;
    public static final String RECON_DIFFERENCES = "recon_differences";
    public static final String UNIDENTIFIED_RECEIPTS = "unidentified_receipts";
    private static final Pattern ACTOR = Pattern.compile("[A-Za-z0-9_.@-]{1,64}");

    private final Ledger ledger;
    private final DSLContext dsl;
    private final ReconAdjustments adjustments;

    public ReconciliationRepository(Ledger ledger) {
        this.ledger = ledger;
        this.dsl = ledger.dsl();
        this.adjustments = new ReconAdjustments(ledger);
    }

    public ReconciliationRepository(DSLContext dsl) {
        this(new Ledger(dsl));
    }

    /** What one ingestion found. {@code subjects} are the exceptions this run's data shows ("KIND:order"), sorted. */
    public record RunReport(long runId, String runKey, String source, int lines, int paymentLines, int matched,
                            int exceptions, int newExceptions, int matchRateBps, List<String> subjects) {}

    private record Ours(UUID transactionId, String communityId, String orderId, String cfPaymentId, long journalId,
                        String ruleId, Integer ruleVersion, String scheduleName, long gross, long fee, long feeGst) {
        static Ours of(Record r) {
            return new Ours(r.get("transaction_id", UUID.class), r.get("community_id", String.class),
                    r.get("cashfree_order_id", String.class), r.get("cashfree_payment_id", String.class),
                    r.get("journal_id", Long.class), r.get("rule_id", String.class), r.get("rule_version", Integer.class),
                    r.get("schedule_name", String.class), r.get("gross_amount_paise", Long.class),
                    r.get("payment_gateway_fee_paise", Long.class), r.get("payment_gateway_gst_paise", Long.class));
        }
    }

    private record Found(String key, Kind kind, ReconLine line, Ours ours) {}

    private static final String OURS = """
            select transaction_id, community_id, cashfree_order_id, cashfree_payment_id, journal_id, rule_id, rule_version,
                   schedule_name, gross_amount_paise, payment_gateway_fee_paise, payment_gateway_gst_paise
              from revenue_transaction rt
            """;

    /**
     * Ingests one run. {@code from}/{@code to} (both or neither) bound the period: our payments posted in
     * it that Cashfree never reported (in this or any earlier run) are MISSING_ON_THEIRS; without a period
     * that check is skipped (a file of unknown coverage).
     */
    public RunReport ingest(String runKey, String source, OffsetDateTime from, OffsetDateTime to, List<ReconLine> lines) {
        if (runKey == null || runKey.isBlank() || runKey.length() > 300) throw invalid("runKey must be 1..300 characters");
        if (!source.equals("API") && !source.equals("CSV")) throw invalid("source must be API or CSV");
        if ((from == null) != (to == null) || (from != null && !from.isBefore(to))) throw invalid("the period must have from < to, or neither");
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            // One run at a time (an API run and a CSV upload of the same period may meet): what a run finds depends on the
            // exceptions the runs before it recorded (alreadyMissingOnOurSide). Runs are a few a day; waiting costs nothing.
            tx.execute("select pg_advisory_xact_lock(hashtext('commdesk:recon-ingest'))");
            Record run = tx.fetchSingle("""
                    insert into recon_run (run_key, source, period_from, period_to) values (?, ?, ?::timestamptz, ?::timestamptz)
                    on conflict (run_key) do update set runs = recon_run.runs + 1, last_run_at = now()
                    returning run_id, source, period_from, period_to
                    """, runKey, source, from, to);
            long runId = run.get("run_id", Long.class);
            if (!source.equals(run.get("source", String.class))) throw invalid("run " + runKey + " was a " + run.get("source") + " run");

            Map<String, ReconLine> distinct = new LinkedHashMap<>();
            for (ReconLine l : lines) distinct.putIfAbsent(l.lineKey(), l);
            for (ReconLine l : distinct.values()) {
                tx.execute("""
                        insert into recon_line (line_key, first_run_id, source, cf_settlement_id, settlement_utr, event_type, order_id,
                               cf_payment_id, amount_paise, service_charge_paise, service_tax_paise, settlement_amount_paise, event_time,
                               event_id)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::timestamptz, ?) on conflict (line_key) do nothing
                        """, l.lineKey(), runId, source, l.cfSettlementId(), l.settlementUtr(), l.eventType(), l.orderId(),
                        l.cfPaymentId(), l.amountPaise(), l.serviceChargePaise(), l.serviceTaxPaise(), l.settlementAmountPaise(),
                        l.eventTime(), l.eventId());
            }

            List<Found> found = new ArrayList<>();
            int paymentLines = 0;
            int matched = 0;
            for (ReconLine l : distinct.values()) {
                if (l.unidentified()) { // an adjustment or other event of no payment: finance must see it; the run carries on
                    found.add(new Found("UNMATCHED_EVENT|" + l.lineKey(), Kind.UNMATCHED_EVENT, l, null));
                    continue;
                }
                if (!l.isPayment()) continue;
                paymentLines++;
                Ours ours = findOurs(tx, l).orElse(null);
                if (ours == null) {
                    found.add(new Found("MISSING_ON_OUR_SIDE|" + (l.cfPaymentId() != null ? "p:" + l.cfPaymentId() : "o:" + l.orderId()),
                            Kind.MISSING_ON_OUR_SIDE, l, null));
                    continue;
                }
                boolean ok = true;
                if (l.amountPaise() != ours.gross()) {
                    found.add(new Found("AMOUNT_MISMATCH|" + ours.transactionId(), Kind.AMOUNT_MISMATCH, l, ours));
                    ok = false;
                }
                if (l.serviceChargePaise() != ours.fee() || l.serviceTaxPaise() != ours.feeGst()) {
                    found.add(new Found("FEE_MISMATCH|" + ours.transactionId(), Kind.FEE_MISMATCH, l, ours));
                    ok = false;
                }
                if (ok) matched++;
            }
            int missingOnTheirs = 0;
            if (from != null) {
                for (Record r : tx.fetch(OURS + """
                         where rt.created_at >= ?::timestamptz and rt.created_at < ?::timestamptz
                           and not exists (select 1 from journal x where x.reverses_journal_id = rt.journal_id)
                           and not exists (select 1 from recon_line l where l.event_type = 'PAYMENT'
                                            and (l.cf_payment_id = rt.cashfree_payment_id or l.order_id = rt.cashfree_order_id))
                         order by rt.created_at, rt.transaction_id
                        """, from, to)) {
                    Ours ours = Ours.of(r);
                    found.add(new Found("MISSING_ON_THEIRS|" + ours.transactionId(), Kind.MISSING_ON_THEIRS, null, ours));
                    missingOnTheirs++;
                }
            }

            int created = 0;
            TreeSet<String> subjects = new TreeSet<>();
            for (Found f : found) {
                created += insertException(tx, runId, f);
                subjects.add(f.kind() + ":" + (f.ours() != null ? f.ours().orderId()
                        : f.line().orderId() != null ? f.line().orderId() : f.line().cfPaymentId() != null ? f.line().cfPaymentId()
                        : f.line().eventType() + ":" + f.line().eventId()));
            }
            int rateBps = matchRateBps(matched, paymentLines, missingOnTheirs);
            tx.execute("""
                    update recon_run set lines_seen = ?, payment_lines = ?, matched = ?, exceptions_seen = ?, missing_on_theirs = ?
                     where run_id = ?
                    """, distinct.size(), paymentLines, matched, found.size(), missingOnTheirs, runId);
            return new RunReport(runId, runKey, source, distinct.size(), paymentLines, matched, found.size(), created, rateBps,
                    List.copyOf(subjects));
        });
    }

    private static Optional<Ours> findOurs(DSLContext tx, ReconLine l) {
        return booked(tx, l.cfPaymentId(), l.orderId(), "");
    }

    /** Our booking of Cashfree's payment {@code cfPaymentId}, else of order {@code orderId} (either may be null); {@code and}: a condition on rt. */
    private static Optional<Ours> booked(DSLContext tx, String cfPaymentId, String orderId, String and) {
        if (cfPaymentId != null) {
            Record r = tx.fetchOne(OURS + " where rt.cashfree_payment_id = ?" + and, cfPaymentId);
            if (r != null) return Optional.of(Ours.of(r));
        }
        if (orderId != null) {
            Record r = tx.fetchOne(OURS + " where rt.cashfree_order_id = ?" + and + " limit 1", orderId);
            if (r != null) return Optional.of(Ours.of(r));
        }
        return Optional.empty();
    }

    private static int insertException(DSLContext tx, long runId, Found f) {
        ReconLine l = f.line();
        Ours o = f.ours();
        if (f.kind() == Kind.MISSING_ON_OUR_SIDE && alreadyMissingOnOurSide(tx, l)) {
            learnTheIdsItLacked(tx, l);
            return 0;
        }
        return tx.execute("""
                insert into recon_exception (exception_key, kind, first_run_id, order_id, cf_payment_id, cf_settlement_id, settlement_utr,
                       transaction_id, community_id, payment_journal_id, rule_id, rule_version, schedule_name,
                       our_amount_paise, our_fee_paise, our_fee_gst_paise,
                       their_amount_paise, their_fee_paise, their_fee_tax_paise, their_settlement_paise)
                values (?, ?, ?, ?, ?, ?, ?, ?::uuid, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                on conflict (exception_key) do nothing
                """, f.key(), f.kind().name(), runId,
                o != null ? o.orderId() : l.orderId(),
                o != null && o.cfPaymentId() != null ? o.cfPaymentId() : l == null ? null : l.cfPaymentId(),
                l == null ? null : l.cfSettlementId(), l == null ? null : l.settlementUtr(),
                o == null ? null : o.transactionId(), o == null ? null : o.communityId(), o == null ? null : o.journalId(),
                o == null ? null : o.ruleId(), o == null ? null : o.ruleVersion(), o == null ? null : o.scheduleName(),
                o == null ? null : o.gross(), o == null ? null : o.fee(), o == null ? null : o.feeGst(),
                l == null ? null : l.amountPaise(), l == null ? null : l.serviceChargePaise(),
                l == null ? null : l.serviceTaxPaise(), l == null ? null : l.settlementAmountPaise());
    }

    /**
     * One payment we never booked is one exception, whichever of its ids a line carries: the API's lines name Cashfree's
     * payment id and the order, a CSV's may name only the order (or only the payment), so a key of either id alone made two
     * exceptions of one payment, and adjusting both booked what Cashfree settled as owed to us twice (review s12). Ingest
     * runs one at a time (its advisory lock), so this check and the insert that follows it are not raced by another run.
     */
    private static boolean alreadyMissingOnOurSide(DSLContext tx, ReconLine l) {
        return tx.fetchExists(tx.selectOne().from(DSL.table("recon_exception")).where(
                DSL.field("kind").eq(Kind.MISSING_ON_OUR_SIDE.name()), samePayment(l.orderId(), l.cfPaymentId(), l.amountPaise())));
    }

    /**
     * The exception of this payment learns the id it lacked from a later line of it (changeset 127): its order from a line
     * that names both (the API's), its Cashfree payment id likewise. Only open ones of the same amount (an order's
     * exception must not take the id of another payment of that order, review of 8ee02d7), each id filled in once; an
     * exception already holding another id is left as it is (the database would refuse the change).
     */
    private static void learnTheIdsItLacked(DSLContext tx, ReconLine l) {
        if (l.orderId() == null || l.cfPaymentId() == null) return;
        tx.execute("""
                update recon_exception set order_id = coalesce(order_id, ?), cf_payment_id = coalesce(cf_payment_id, ?)
                 where kind = 'MISSING_ON_OUR_SIDE' and status = 'OPEN' and (order_id is null or cf_payment_id is null)
                   and (cf_payment_id = ? or (cf_payment_id is null and order_id = ?))
                   and (order_id is null or order_id = ?)
                   and their_amount_paise = ?
                """, l.orderId(), l.cfPaymentId(), l.cfPaymentId(), l.orderId(), l.orderId(), l.amountPaise());
    }

    /**
     * The exceptions about the payment Cashfree names by {@code orderId} and {@code cfPaymentId}: the same payment id, or the
     * same order and amount where either side has no payment id. Two payments of one order that both carry their ids are
     * two payments (a second attempt that also succeeded is money Cashfree settled too), never one (review of s13); nor are
     * two of other amounts where one side lacks its id (review of 8ee02d7: the second was folded into the first's exception
     * and never seen).
     */
    private static Condition samePayment(String orderId, String cfPaymentId, Long amountPaise) {
        Field<String> order = DSL.field("order_id", String.class);
        Field<String> payment = DSL.field("cf_payment_id", String.class);
        Condition same = DSL.falseCondition();
        if (cfPaymentId != null) same = same.or(payment.eq(cfPaymentId));
        if (orderId != null) {
            same = same.or(order.eq(orderId).and(cfPaymentId == null ? DSL.noCondition() : payment.isNull())
                    .and(amountPaise == null ? DSL.noCondition() : DSL.field("their_amount_paise", Long.class).eq(amountPaise)));
        }
        return same;
    }

    // ---- reading ---------------------------------------------------------------------------------

    public List<ReconException> list(String kind, String status, String orderId, Long afterId, int limit) {
        if (limit < 1 || limit > MAX_PAGE) throw invalid("limit must be 1.." + MAX_PAGE);
        StringBuilder sql = new StringBuilder("select * from recon_exception where true");
        List<Object> binds = new ArrayList<>();
        if (kind != null) { sql.append(" and kind = ?"); binds.add(kind); }
        if (status != null) { sql.append(" and status = ?"); binds.add(status); }
        if (orderId != null) { sql.append(" and order_id = ?"); binds.add(orderId); }
        if (afterId != null) { sql.append(" and exception_id > ?"); binds.add(afterId); }
        sql.append(" order by exception_id limit ?");
        binds.add(limit);
        return dsl.fetch(sql.toString(), binds.toArray()).map(ReconciliationRepository::toException);
    }

    public Optional<ReconException> find(long exceptionId) {
        return Optional.ofNullable(dsl.fetchOne("select * from recon_exception where exception_id = ?", exceptionId))
                .map(ReconciliationRepository::toException);
    }

    public record AuditEntry(String action, String actor, String note, Long journalId, OffsetDateTime at) {}

    public List<AuditEntry> audit(long exceptionId) {
        return dsl.fetch("select action, actor, note, journal_id, created_at from recon_exception_audit where exception_id = ? order by audit_id",
                exceptionId).map(r -> new AuditEntry(r.get(0, String.class), r.get(1, String.class), r.get(2, String.class),
                r.get(3, Long.class), r.get(4, OffsetDateTime.class)));
    }

    /** A posting of an adjustment journal, as shown in the drill-down. */
    public record PostingLine(String accountCode, long amountPaise) {}

    public List<PostingLine> postings(long journalId) {
        return dsl.fetch("""
                select a.code, p.amount_paise from posting p join ledger_account a using (account_id)
                 where p.journal_id = ? order by p.posting_id
                """, journalId).map(r -> new PostingLine(r.get(0, String.class), r.get(1, Long.class)));
    }

    /** Open exceptions by kind (every kind present, 0 when none). */
    public Map<Kind, Long> openCounts() {
        Map<Kind, Long> counts = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) counts.put(k, 0L);
        dsl.fetch("select kind, count(*) from recon_exception where status = 'OPEN' group by kind")
                .forEach(r -> counts.put(Kind.valueOf(r.get(0, String.class)), r.get(1, Long.class)));
        return counts;
    }

    /** Match rate of the most recent run of this source, in basis points; empty before the first run. */
    public Optional<Integer> lastMatchRateBps(String source) {
        Record r = dsl.fetchOne("""
                select matched, payment_lines, exceptions_seen, missing_on_theirs from recon_run where source = ?
                 order by last_run_at desc, run_id desc limit 1
                """, source);
        if (r == null) return Optional.empty();
        return Optional.of(matchRateBps(r.get(0, Integer.class), r.get(1, Integer.class), r.get(2, Integer.class), r.get(3, Integer.class)));
    }

    /**
     * A run's match rate, in basis points: matched ÷ (payment lines + our payments missing on Cashfree's side); 100 % of
     * nothing. The run's own report, the match-rate metric and the tracking report all count it here.
     */
    public static int matchRateBps(int matched, int paymentLines, int missingOnTheirs) {
        int denominator = paymentLines + missingOnTheirs;
        return denominator == 0 ? 10_000 : (int) (matched * 10_000L / denominator);
    }

    /**
     * The same from a {@code recon_run} row: its {@code missing_on_theirs}, or for a run recorded before changeset 115
     * kept it (null), the old estimate from its exceptions (the exceptions that are not an unmatched payment line).
     */
    public static int matchRateBps(int matched, int paymentLines, int exceptionsSeen, Integer missingOnTheirs) {
        return matchRateBps(matched, paymentLines,
                missingOnTheirs != null ? missingOnTheirs : Math.max(0, exceptionsSeen - (paymentLines - matched)));
    }

    // ---- resolving ---------------------------------------------------------------------------------

    /** The result of a resolution: the exception as it is now and, for an adjustment, its journal's postings. */
    public record Resolution(ReconException exception, boolean changed, List<PostingLine> postings) {}

    /**
     * Resolves an open exception with a balanced ADJUSTMENT journal whose lines follow from the exception
     * (docs/reconciliation.md). Asking again for an ADJUSTED exception returns the same journal and
     * writes nothing; an EXPLAINED one is ALREADY_RESOLVED.
     */
    public Resolution adjust(long exceptionId, String actor, String reason) {
        return adjust(exceptionId, actor, reason, PaymentRuns.UNKNOWN);
    }

    /**
     * Whether a payment's workflow still runs, as Temporal says (the API asks it): TRUE running, FALSE closed or unknown to
     * Temporal, null when it cannot tell. Used only when a payment's recorded status says it is on its way: that status is
     * the workflow's best-effort record, and a run that ended without recording it (a failed write, a terminated run, a v0
     * run) must not block the adjustment of its order for good.
     */
    @FunctionalInterface
    public interface PaymentRuns {
        /** Cannot tell: the recorded status stands. */
        PaymentRuns UNKNOWN = workflowId -> null;

        Boolean running(String workflowId);
    }

    /** {@link #adjust(long, String, String)}, asking {@code runs} whether a payment recorded as on its way still runs. */
    public Resolution adjust(long exceptionId, String actor, String reason, PaymentRuns runs) {
        checkActorAndNote(actor, reason);
        return ledger.inTransaction(tx -> {
            ReconException e = locked(tx, exceptionId);
            if (e.status().equals("ADJUSTED")) return new Resolution(e, false, postingsTx(tx, e.adjustmentJournalId()));
            if (!e.status().equals("OPEN")) throw new ReconciliationFailure(ReconciliationFailure.Code.ALREADY_RESOLVED,
                    "exception " + exceptionId + " is already " + e.status());
            if (e.kind().equals(Kind.MISSING_ON_OUR_SIDE.name())) {
                refuseASecondAdjustmentOfOnePayment(tx, e);
                refuseWhileThePaymentIsOurs(tx, e, runs);
            }
            Map<String, Long> lines = adjustmentLines(tx, e);
            long sum = lines.values().stream().mapToLong(Long::longValue).sum();
            if (sum != 0 || lines.size() < 2) throw new IllegalStateException("adjustment of exception " + exceptionId + " is not balanced: " + lines);
            long journalId = adjustments.post(tx, exceptionId, e.communityId(),
                    "reconciliation " + e.kind() + " exception " + exceptionId + " (" + e.subject() + ") by " + actor + ": " + reason, lines);
            tx.execute("""
                    update recon_exception set status = 'ADJUSTED', resolved_by = ?, resolved_at = now(), resolution_note = ?,
                           adjustment_journal_id = ? where exception_id = ?
                    """, actor, reason, journalId, exceptionId);
            tx.execute("insert into recon_exception_audit (exception_id, action, actor, note, journal_id) values (?, 'ADJUSTED', ?, ?, ?)",
                    exceptionId, actor, reason, journalId);
            return new Resolution(locked(tx, exceptionId), true, postingsTx(tx, journalId));
        });
    }

    /**
     * A payment missing on our side is booked as owed to us once: an exception recorded before ingest kept one per payment
     * (a 'p:' and an 'o:' key of one payment, review s12) is refused once the other was adjusted; explain it instead. Two
     * adjustments of such a pair at once take turns on the payment's lock, so the second sees the first.
     */
    private static void refuseASecondAdjustmentOfOnePayment(DSLContext tx, ReconException e) {
        String payment = e.orderId() != null ? e.orderId() : e.cfPaymentId();
        if (payment == null) return;
        tx.execute("select pg_advisory_xact_lock(hashtext(?))", "commdesk:recon-missing:" + payment);
        Long other = tx.select(DSL.field("exception_id", Long.class)).from(DSL.table("recon_exception"))
                .where(DSL.field("kind").eq(Kind.MISSING_ON_OUR_SIDE.name()), DSL.field("status").eq("ADJUSTED"),
                        DSL.field("exception_id").ne(e.exceptionId()), samePayment(e.orderId(), e.cfPaymentId(), e.theirAmountPaise()))
                .limit(1).fetchOne(DSL.field("exception_id", Long.class));
        if (other != null) {
            throw new ReconciliationFailure(ReconciliationFailure.Code.ALREADY_RESOLVED, "exception " + e.exceptionId()
                    + " is the payment exception " + other + " already booked as owed to us; explain this one instead");
        }
    }

    /** A payment whose workflow may still book it: anything recorded but an end that booked nothing. */
    private static final List<String> UNBOOKED_ENDS = List.of("FAILED", "REJECTED", "COMPENSATED");

    /**
     * A payment missing on our side is booked as owed to us only if no journal of ours will hold it (review of f8b61e0: a
     * payment may await its order's payment for 30 days and book it when it sees it paid). Refused, and explained instead:
     * <ul>
     *   <li>once the payment is booked (a journal of it not reversed): that journal holds what Cashfree settled;</li>
     *   <li>while the order's payment is recorded and not at an end that booked nothing (FAILED, REJECTED, COMPENSATED),
     *       unless its workflow was started and Temporal says it no longer runs (its recorded status is then stale);</li>
     *   <li>when the exception names no order and no line of its Cashfree payment names one: the payment cannot be told
     *       from one of ours on its way (an API run of the period names the order).</li>
     * </ul>
     * Either would book one settlement into cashfree_clearing twice. Called under the payment's advisory lock.
     */
    private static void refuseWhileThePaymentIsOurs(DSLContext tx, ReconException e, PaymentRuns runs) {
        String orderId = e.orderId();
        if (orderId == null && e.cfPaymentId() != null) {
            orderId = tx.fetchOptional("select order_id from recon_line where cf_payment_id = ? and order_id is not null limit 1",
                    e.cfPaymentId()).map(r -> r.get(0, String.class)).orElse(null);
        }
        Ours booked = booked(tx, e.cfPaymentId(), orderId,
                " and not exists (select 1 from journal x where x.reverses_journal_id = rt.journal_id)").orElse(null);
        if (booked != null) {
            throw new ReconciliationFailure(ReconciliationFailure.Code.PAYMENT_BOOKS_IT, "exception " + e.exceptionId()
                    + ": the payment is booked since (transaction " + booked.transactionId() + "), and its journal holds what"
                    + " Cashfree settled; explain this exception instead");
        }
        if (orderId == null) {
            throw new ReconciliationFailure(ReconciliationFailure.Code.PAYMENT_BOOKS_IT, "exception " + e.exceptionId()
                    + " names Cashfree payment " + e.cfPaymentId() + " and no order, and no line of it names one: it cannot be"
                    + " told from a payment of ours still on its way; reconcile its period from Cashfree's API (its lines name"
                    + " the order), or explain it");
        }
        Record on = tx.fetchOne("select payment_id, status, workflow_id, workflow_started_at from payment where cashfree_order_id = ?"
                + " and status <> all (?::text[]) order by created_at limit 1", orderId, UNBOOKED_ENDS.toArray(String[]::new));
        if (on == null) return;
        boolean started = on.get("workflow_started_at") != null;
        Boolean running = started ? runs.running(on.get("workflow_id", String.class)) : Boolean.TRUE;
        if (Boolean.FALSE.equals(running)) return; // its run ended without recording how: nothing of it is booked (above)
        throw new ReconciliationFailure(ReconciliationFailure.Code.PAYMENT_BOOKS_IT, "exception " + e.exceptionId()
                + ": payment " + on.get("payment_id") + " of order " + orderId + " is " + on.get("status")
                + (running == null ? " (whether its workflow still runs could not be confirmed)" : "")
                + ", and its workflow books it when Cashfree confirms it is paid; adjust only once it has failed, or explain"
                + " this exception once it is booked");
    }

    /** Resolves an open exception without touching the books (e.g. "settles in the next cycle"). Idempotent. */
    public Resolution explain(long exceptionId, String actor, String note) {
        checkActorAndNote(actor, note);
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            ReconException e = locked(tx, exceptionId);
            if (e.status().equals("EXPLAINED")) return new Resolution(e, false, List.of());
            if (!e.status().equals("OPEN")) throw new ReconciliationFailure(ReconciliationFailure.Code.ALREADY_RESOLVED,
                    "exception " + exceptionId + " is already " + e.status());
            tx.execute("update recon_exception set status = 'EXPLAINED', resolved_by = ?, resolved_at = now(), resolution_note = ? where exception_id = ?",
                    actor, note, exceptionId);
            tx.execute("insert into recon_exception_audit (exception_id, action, actor, note) values (?, 'EXPLAINED', ?, ?)",
                    exceptionId, actor, note);
            return new Resolution(locked(tx, exceptionId), true, List.of());
        });
    }

    /**
     * The adjustment for each kind (debit > 0). Differences are Cashfree's figure minus ours.
     * <ul>
     *   <li>FEE_MISMATCH: charge difference to gateway_fee_expense, tax difference to gst_input_credit (the
     *       payment's heads), the total against cashfree_clearing (Cashfree kept more or less than we booked).</li>
     *   <li>AMOUNT_MISMATCH: the difference to cashfree_clearing, against recon_differences.</li>
     *   <li>MISSING_ON_THEIRS: what Cashfree owed us for the payment (gross less our fee and its GST) is written
     *       off: recon_differences DR, cashfree_clearing CR.</li>
     *   <li>MISSING_ON_OUR_SIDE: what Cashfree settled is owed to us: cashfree_clearing DR,
     *       unidentified_receipts CR, until someone identifies the payment.</li>
     * </ul>
     */
    private static Map<String, Long> adjustmentLines(DSLContext tx, ReconException e) {
        Map<String, Long> lines = new LinkedHashMap<>();
        switch (Kind.valueOf(e.kind())) {
            case FEE_MISMATCH -> {
                long chargeDiff = e.theirFeePaise() - e.ourFeePaise();
                long taxDiff = e.theirFeeTaxPaise() - e.ourFeeGstPaise();
                add(lines, AccountCodes.GATEWAY_FEE_EXPENSE, chargeDiff);
                List<String> heads = tx.fetch("""
                        select distinct a.code from posting p join ledger_account a using (account_id)
                         where p.journal_id = ? and a.code like 'gst_input_credit:%' order by a.code
                        """, e.paymentJournalId()).map(r -> r.get(0, String.class));
                if (heads.contains(AccountCodes.gstInputCredit(AccountCodes.GstHead.CGST))
                        && heads.contains(AccountCodes.gstInputCredit(AccountCodes.GstHead.SGST))) {
                    long sgst = taxDiff / 2; // CGST takes the odd paisa, as the fee engine's head split does
                    add(lines, AccountCodes.gstInputCredit(AccountCodes.GstHead.CGST), taxDiff - sgst);
                    add(lines, AccountCodes.gstInputCredit(AccountCodes.GstHead.SGST), sgst);
                } else if (heads.size() == 1) {
                    add(lines, heads.get(0), taxDiff);
                } else {
                    add(lines, AccountCodes.gstInputCredit(AccountCodes.GstHead.IGST), taxDiff);
                }
                add(lines, AccountCodes.CASHFREE_CLEARING, -(chargeDiff + taxDiff));
            }
            case AMOUNT_MISMATCH -> {
                long diff = e.theirAmountPaise() - e.ourAmountPaise();
                add(lines, AccountCodes.CASHFREE_CLEARING, diff);
                add(lines, RECON_DIFFERENCES, -diff);
            }
            case MISSING_ON_THEIRS -> {
                long receivable = e.ourAmountPaise() - e.ourFeePaise() - e.ourFeeGstPaise();
                add(lines, RECON_DIFFERENCES, receivable);
                add(lines, AccountCodes.CASHFREE_CLEARING, -receivable);
            }
            case MISSING_ON_OUR_SIDE -> {
                add(lines, AccountCodes.CASHFREE_CLEARING, e.theirSettlementPaise());
                add(lines, UNIDENTIFIED_RECEIPTS, -e.theirSettlementPaise());
            }
            case UNMATCHED_EVENT -> throw new ReconciliationFailure(ReconciliationFailure.Code.INVALID, "exception " + e.exceptionId()
                    + " is an event of no payment (" + e.cfSettlementId() + "): no adjustment can be computed; explain it, or post"
                    + " a manual journal and explain it with its reference");
        }
        return lines;
    }

    private static void add(Map<String, Long> lines, String code, long amount) {
        if (amount != 0) lines.merge(code, amount, Long::sum);
        if (lines.containsKey(code) && lines.get(code) == 0) lines.remove(code);
    }

    private static ReconException locked(DSLContext tx, long exceptionId) {
        Record r = tx.fetchOne("select * from recon_exception where exception_id = ? for update", exceptionId);
        if (r == null) throw new ReconciliationFailure(ReconciliationFailure.Code.NOT_FOUND, "no reconciliation exception " + exceptionId);
        return toException(r);
    }

    private static List<PostingLine> postingsTx(DSLContext tx, long journalId) {
        return tx.fetch("""
                select a.code, p.amount_paise from posting p join ledger_account a using (account_id)
                 where p.journal_id = ? order by p.posting_id
                """, journalId).map(r -> new PostingLine(r.get(0, String.class), r.get(1, Long.class)));
    }

    private static void checkActorAndNote(String actor, String note) {
        if (actor == null || !ACTOR.matcher(actor).matches()) throw invalid("X-Actor must be 1..64 of A-Z a-z 0-9 _ . @ -");
        if (note == null || note.isBlank() || note.length() > 2000) throw invalid("a reason of 1..2000 characters is required");
    }

    private static ReconciliationFailure invalid(String message) {
        return new ReconciliationFailure(ReconciliationFailure.Code.INVALID, message);
    }

    static ReconException toException(Record r) {
        String kind = r.get("kind", String.class);
        Long ourAmount = r.get("our_amount_paise", Long.class);
        Long ourFee = r.get("our_fee_paise", Long.class);
        Long ourGst = r.get("our_fee_gst_paise", Long.class);
        Long theirAmount = r.get("their_amount_paise", Long.class);
        Long theirFee = r.get("their_fee_paise", Long.class);
        Long theirTax = r.get("their_fee_tax_paise", Long.class);
        Long theirSettlement = r.get("their_settlement_paise", Long.class);
        long difference = switch (Kind.valueOf(kind)) {
            case AMOUNT_MISMATCH -> theirAmount - ourAmount;
            case FEE_MISMATCH -> (theirFee + theirTax) - (ourFee + ourGst);
            case MISSING_ON_OUR_SIDE -> theirSettlement;
            case MISSING_ON_THEIRS -> -(ourAmount - ourFee - ourGst);
            case UNMATCHED_EVENT -> theirSettlement;
        };
        return new ReconException(r.get("exception_id", Long.class), kind, r.get("status", String.class),
                r.get("first_run_id", Long.class), r.get("order_id", String.class), r.get("cf_payment_id", String.class),
                r.get("cf_settlement_id", String.class), r.get("settlement_utr", String.class), r.get("transaction_id", UUID.class),
                r.get("community_id", String.class), r.get("payment_journal_id", Long.class), r.get("rule_id", String.class),
                r.get("rule_version", Integer.class), r.get("schedule_name", String.class), ourAmount, ourFee, ourGst,
                theirAmount, theirFee, theirTax, theirSettlement, difference, r.get("detected_at", OffsetDateTime.class),
                r.get("resolved_by", String.class), r.get("resolved_at", OffsetDateTime.class),
                r.get("resolution_note", String.class), r.get("adjustment_journal_id", Long.class));
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
