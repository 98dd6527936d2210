package com.commdesk.load;

import com.commdesk.ledger.LedgerDatabase;
import com.commdesk.ledger.LedgerInvariants;
import com.commdesk.ledger.LedgerQueries;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;

/**
 * What the database says about a run: when each of its payments was posted, and whether the books
 * hold — the ledger's own invariant checks, a zero trial balance, and exactly one journal (never
 * reversed) for every payment the run handed over. Public for the failure suite (dev-stack tests),
 * which ends every scenario with the same check.
 */
public final class BooksCheck implements AutoCloseable {
    private final LedgerDatabase db;

    BooksCheck(LoadSettings s) {
        this(s.databaseUrl(), s.databaseUser(), s.databasePassword());
    }

    public BooksCheck(String databaseUrl, String user, String password) {
        this.db = LedgerDatabase.open(databaseUrl, user, password, 2);
    }

    private DSLContext dsl() {
        return db.dsl();
    }

    /** Posted time (epoch ms) of each order of this run that has a revenue transaction. */
    Map<String, Long> postedAt(String orderPrefix) {
        Map<String, Long> out = new HashMap<>();
        dsl().resultQuery("select cashfree_order_id, (extract(epoch from created_at) * 1000)::bigint from revenue_transaction"
                        + " where cashfree_order_id like ?", orderPrefix + "%")
                .forEach(r -> out.put(r.get(0, String.class), r.get(1, Long.class)));
        return out;
    }

    public long postedCount(String orderPrefix) {
        return ((Number) dsl().fetchValue("select count(*) from revenue_transaction where cashfree_order_id like ?", orderPrefix + "%")).longValue();
    }

    public long recordedCount(String orderPrefix) {
        return ((Number) dsl().fetchValue("select count(*) from payment where cashfree_order_id like ?", orderPrefix + "%")).longValue();
    }

    /** Orders of this run that the platform recorded as payments but has not posted. */
    public List<String> unposted(String orderPrefix) {
        return dsl().resultQuery("select p.cashfree_order_id from payment p where p.cashfree_order_id like ? and not exists"
                + " (select 1 from revenue_transaction rt where rt.cashfree_order_id = p.cashfree_order_id) order by 1", orderPrefix + "%")
                .fetch(0, String.class);
    }

    /** Payments of these orders the fraud screen has decided on (flagged or not). */
    long screenedCount(String orderPrefix) {
        return ((Number) dsl().fetchValue("select count(*) from payment p join payment_screening s using (payment_id)"
                + " where p.cashfree_order_id like ?", orderPrefix + "%")).longValue();
    }

    long flaggedCount(String orderPrefix) {
        return ((Number) dsl().fetchValue("select count(*) from payment p join payment_screening s using (payment_id)"
                + " where p.cashfree_order_id like ? and s.flagged", orderPrefix + "%")).longValue();
    }

    /**
     * A seed, not a check: the fraud velocity floor of these communities (the column the onboarding API's
     * {@code fraud.velocityFloor} writes), as an event's owner would raise it before the event.
     */
    void seedVelocityFloor(List<String> communityIds, int floor) {
        int updated = dsl().execute("update community set fraud_velocity_floor = ? where community_id = any(?)", floor,
                (Object) communityIds.toArray(String[]::new));
        if (updated != communityIds.size()) {
            throw new IllegalStateException("--velocity-floor: " + (communityIds.size() - updated) + " of " + communityIds + " do not exist");
        }
    }

    /** Payment ids of orders handed over but never posted (to ask the API what became of them). */
    Map<String, String> paymentIdsOf(List<String> orderIds) {
        Map<String, String> out = new HashMap<>();
        if (orderIds.isEmpty()) return out;
        dsl().resultQuery("select cashfree_order_id, payment_id from payment where cashfree_order_id = any(?)",
                (Object) orderIds.toArray(String[]::new)).forEach(r -> out.put(r.get(0, String.class), r.get(1, String.class)));
        return out;
    }

    public record Verdict(boolean holds, List<String> problems) {}

    public Verdict verify(String orderPrefix) {
        List<String> problems = new ArrayList<>();
        LedgerInvariants.Report report = new LedgerInvariants(dsl()).check();
        report.violations().forEach(v -> problems.add("invariant " + v.invariant() + ": " + v.subject() + " " + v.detail()));
        LedgerQueries.TrialBalance tb = new LedgerQueries(dsl()).trialBalance();
        if (!tb.balanced()) problems.add("trial balance: debits " + tb.totalDebitsPaise() + " != credits " + tb.totalCreditsPaise());
        long doubled = ((Number) dsl().fetchValue("select count(*) from (select cashfree_order_id from revenue_transaction"
                + " where cashfree_order_id like ? group by 1 having count(*) > 1) d", orderPrefix + "%")).longValue();
        if (doubled > 0) problems.add(doubled + " orders have more than one revenue transaction");
        long reversed = ((Number) dsl().fetchValue("select count(*) from revenue_transaction rt join journal j"
                + " on j.reverses_journal_id = rt.journal_id where rt.cashfree_order_id like ?", orderPrefix + "%")).longValue();
        if (reversed > 0) problems.add(reversed + " payment journals of this run were reversed");
        return new Verdict(problems.isEmpty(), problems);
    }

    @Override
    public void close() throws Exception {
        db.close();
    }
}
