package com.commdesk.dev;

import com.commdesk.cashfree.sim.PayoutsApi;
import com.commdesk.load.BooksCheck;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How every failure scenario ends: the load generator's books check (the ledger's invariants — every wallet
 * equal to its postings, holds consistent —, a zero trial balance, exactly one unreversed journal per
 * order of the run), every order of the run recorded and posted, and each payout sent to Cashfree at most
 * once: the simulator's transfers (one per transfer id) against the payouts the ledger recorded.
 */
final class FailureBooks {
    private FailureBooks() {}

    /** The problems found (empty when the books hold); prints what was checked. */
    static List<String> check(FailureRig rig, FailureLoad load) throws Exception {
        List<String> problems = new ArrayList<>();
        try (BooksCheck books = new BooksCheck(rig.databaseUrl(), null, null)) {
            BooksCheck.Verdict verdict = books.verify(load.prefix);
            problems.addAll(verdict.problems());
            long recorded = books.recordedCount(load.prefix), posted = books.postedCount(load.prefix);
            if (recorded != load.planned) problems.add(recorded + " of " + load.planned + " paid orders were recorded as payments");
            if (posted != load.planned) problems.add(posted + " of " + load.planned + " paid orders were posted; unposted: " + books.unposted(load.prefix));
            if (load.gaveUp() > 0) problems.add(load.gaveUp() + " hand-overs were given up by the client");
            List<PayoutsApi.Transfer> transfers = rig.simulator().payouts().transfers();
            Map<String, Long> payouts = new HashMap<>();
            long parked;
            try (var db = com.commdesk.ledger.LedgerDatabase.open(rig.databaseUrl(), null, null, 1)) {
                db.dsl().resultQuery("select payout_id, amount_paise from payout").forEach(r -> payouts.put(r.get(0, String.class), r.get(1, Long.class)));
                parked = ((Number) db.dsl().fetchValue("select count(*) from payment where cashfree_order_id like ?"
                        + " and status in ('UNDER_REVIEW', 'NEEDS_ATTENTION')", load.prefix + "%")).longValue();
            }
            if (parked > 0) problems.add(parked + " payments of the run are parked (UNDER_REVIEW or NEEDS_ATTENTION)");
            for (PayoutsApi.Transfer t : transfers) {
                Long amount = payouts.get(t.transferId());
                if (amount == null) problems.add("Cashfree transfer " + t.transferId() + " is no payout of the ledger");
                else if (amount != t.amountPaise()) problems.add("transfer " + t.transferId() + " of " + t.amountPaise() + " paise, payout of " + amount);
            }
            System.out.printf("  books: %d of %d orders recorded and posted, one journal each, %d parked; invariants and trial balance: %s;"
                            + " payouts %d, Cashfree transfers %d (one per transfer id), %d POSTs to /payout/transfers%n",
                    posted, load.planned, parked, verdict.holds() ? "hold" : "VIOLATED", payouts.size(), transfers.size(),
                    rig.simulator().payouts().transferRequests());
        }
        problems.forEach(p -> System.out.println("  BOOKS VIOLATION: " + p));
        return problems;
    }
}
