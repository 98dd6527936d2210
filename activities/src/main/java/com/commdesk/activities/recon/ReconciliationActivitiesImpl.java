package com.commdesk.activities.recon;

import com.commdesk.activities.cashfree.CashfreeException;
import com.commdesk.activities.cashfree.CashfreeSettlements;
import com.commdesk.activities.cashfree.CashfreeUnavailableException;
import com.commdesk.ledger.recon.ReconLine;
import com.commdesk.ledger.recon.ReconciliationFailure;
import com.commdesk.ledger.recon.ReconciliationRepository;
import com.commdesk.workflows.recon.ReconPeriod;
import com.commdesk.workflows.recon.ReconRunSummary;
import com.commdesk.workflows.recon.ReconciliationActivities;
import io.temporal.failure.ApplicationFailure;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pages through Cashfree's settlement recon data for a period (the SDK's {@code PGSettlementFetchRecon})
 * and hands it to {@link ReconciliationRepository#ingest}: one transaction, idempotent by the run key
 * {@code api:<from>/<to>}, so a retried or re-run period records nothing twice.
 */
public final class ReconciliationActivitiesImpl implements ReconciliationActivities {
    private static final Logger log = LoggerFactory.getLogger(ReconciliationActivitiesImpl.class);
    static final int PAGE = 200;
    /** Bound on one period's events (TIGER_STYLE: a limit on everything): 2M lines. */
    static final int MAX_PAGES = 10_000;

    private final CashfreeSettlements cashfree;
    private final ReconciliationRepository recon;

    public ReconciliationActivitiesImpl(CashfreeSettlements cashfree, ReconciliationRepository recon) {
        this.cashfree = cashfree;
        this.recon = recon;
    }

    @Override
    public ReconRunSummary reconcilePeriod(ReconPeriod period) {
        OffsetDateTime from = Instant.ofEpochMilli(period.fromEpochMillis()).atOffset(ZoneOffset.UTC);
        OffsetDateTime to = Instant.ofEpochMilli(period.toEpochMillis()).atOffset(ZoneOffset.UTC);
        OffsetDateTime settledUntil = Instant.ofEpochMilli(period.toEpochMillis() + period.graceMillis()).atOffset(ZoneOffset.UTC);
        List<ReconLine> lines = new ArrayList<>();
        String cursor = null;
        try {
            for (int page = 0; ; page++) {
                if (page == MAX_PAGES) throw ApplicationFailure.newNonRetryableFailure(
                        "more than " + MAX_PAGES + " pages of recon data for " + from + ".." + settledUntil, "InvalidReconciliation");
                CashfreeSettlements.ReconPage p = cashfree.fetchSettlementRecon(from, settledUntil, cursor, PAGE);
                for (CashfreeSettlements.ReconEvent e : p.events()) {
                    lines.add(new ReconLine(e.cfSettlementId(), e.settlementUtr(), e.eventType(), e.orderId(), e.cfPaymentId(),
                            e.amountPaise(), e.serviceChargePaise(), e.serviceTaxPaise(), e.settlementAmountPaise(), e.eventTime(), e.eventId()));
                }
                cursor = p.nextCursor();
                if (cursor == null) break;
            }
        } catch (CashfreeUnavailableException e) {
            throw ApplicationFailure.newFailure("Cashfree unavailable: " + e.getMessage(), "CashfreeUnavailable");
        } catch (CashfreeException e) {
            throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), "CashfreeRejected");
        } catch (IllegalArgumentException e) {
            throw ApplicationFailure.newNonRetryableFailure("Cashfree sent an unusable recon line: " + e.getMessage(), "CashfreeRejected");
        }
        ReconciliationRepository.RunReport r;
        try {
            r = recon.ingest("api:" + from + "/" + to, "API", from, to, lines);
        } catch (ReconciliationFailure e) {
            throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), "InvalidReconciliation");
        }
        log.info("reconciled {}..{}: {} lines, {} payments, {} matched, {} exceptions ({} new)", from, to, r.lines(),
                r.paymentLines(), r.matched(), r.exceptions(), r.newExceptions());
        return new ReconRunSummary(r.runId(), r.runKey(), r.lines(), r.paymentLines(), r.matched(), r.exceptions(),
                r.newExceptions(), r.matchRateBps(), r.subjects());
    }
}
