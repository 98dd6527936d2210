package com.commdesk.ledger;

import static com.commdesk.ledger.jooq.Tables.COMMUNITY_WALLET;
import static com.commdesk.ledger.jooq.Tables.MEMBER_WALLET;

import com.commdesk.fees.FeeBreakdown;
import java.util.List;
import java.util.TreeMap;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * The wallet projection changes of one transaction, summed per row and applied in the one lock
 * order every writer follows: community wallet rows sorted by id, then member wallet rows sorted by
 * (community, role, user). Summing first means a batch of payments touches each row once.
 */
final class WalletDeltas {
    private record MemberKey(String communityId, String role, String userId) implements Comparable<MemberKey> {
        public int compareTo(MemberKey o) {
            int c = communityId.compareTo(o.communityId);
            if (c != 0) return c;
            c = role.compareTo(o.role);
            return c != 0 ? c : userId.compareTo(o.userId);
        }
    }

    // community: gross, platform fees, gateway fees (+GST), GST collected, net, pending, available, locked, withdrawn
    private static final int GROSS = 0, PLATFORM = 1, GATEWAY = 2, GST = 3, NET = 4, PENDING = 5, AVAILABLE = 6, LOCKED = 7, WITHDRAWN = 8;
    private final TreeMap<String, long[]> communities = new TreeMap<>();
    // member: pending, available, locked, paid out, receivable
    private static final int M_PAID_OUT = 3, M_RECEIVABLE = 4;
    private final TreeMap<MemberKey, long[]> members = new TreeMap<>();

    /** A payment's totals (sign +1) or their reversal (-1). */
    void addTotals(String communityId, int sign, FeeBreakdown b) {
        long[] c = communities.computeIfAbsent(communityId, k -> new long[9]);
        c[GROSS] = Math.addExact(c[GROSS], sign * b.amountPaise());
        c[PLATFORM] = Math.addExact(c[PLATFORM], sign * b.platformFeePaise());
        c[GATEWAY] = Math.addExact(c[GATEWAY], sign * (b.gatewayFeePaise() + b.gatewayFeeGstPaise()));
        c[GST] = Math.addExact(c[GST], sign * b.gstPaise());
        c[NET] = Math.addExact(c[NET], sign * b.netPaise());
    }

    /**
     * Member postings move wallet buckets by exactly their amount: credit-normal for pending, available
     * and locked (a credit raises them), debit-normal for the receivable (a debit raises what is owed).
     */
    void addLines(List<JournalLine> lines) {
        for (JournalLine line : lines) {
            if (line.bucket() == null) continue;
            long[] m = members.computeIfAbsent(new MemberKey(line.communityId(), line.role(), line.userId()), k -> new long[5]);
            if (line.bucket() == AccountCodes.WalletBucket.RECEIVABLE) {
                m[M_RECEIVABLE] = Math.addExact(m[M_RECEIVABLE], line.amountPaise());
                continue;
            }
            int bucket = line.bucket().ordinal(); // PENDING, AVAILABLE, LOCKED
            m[bucket] = Math.subtractExact(m[bucket], line.amountPaise());
            long[] c = communities.computeIfAbsent(line.communityId(), k -> new long[9]);
            c[PENDING + bucket] = Math.subtractExact(c[PENDING + bucket], line.amountPaise());
        }
    }

    void addPaidOut(String communityId, String role, String userId, long amountPaise) {
        members.computeIfAbsent(new MemberKey(communityId, role, userId), k -> new long[5])[M_PAID_OUT] += amountPaise;
        communities.computeIfAbsent(communityId, k -> new long[9])[WITHDRAWN] += amountPaise;
    }

    /**
     * Applies everything, two set-based statements per table: create missing wallet rows (zero),
     * then one UPDATE whose CTE locks the rows in the sorted order above (so every writer locks in the
     * same order) and carries the deltas it adds. Not one upsert: PostgreSQL checks the proposed
     * row's CHECK constraints before it detects the conflict, so a negative delta would fail on an
     * existing row. A bucket going negative fails the UPDATE (CHECK constraint, SQLSTATE 23514).
     */
    void apply(DSLContext tx) {
        if (!communities.isEmpty()) {
            var cw = COMMUNITY_WALLET;
            var d = new ColumnarInsert<>(cw, cw.COMMUNITY_ID, cw.TOTAL_GROSS_REVENUE_PAISE, cw.TOTAL_PLATFORM_FEES_PAISE,
                    cw.TOTAL_GATEWAY_FEES_PAISE, cw.TOTAL_GST_COLLECTED_PAISE, cw.TOTAL_NET_REVENUE_PAISE, cw.PENDING_SETTLEMENT_PAISE,
                    cw.AVAILABLE_BALANCE_PAISE, cw.LOCKED_BALANCE_PAISE, cw.TOTAL_WITHDRAWN_PAISE);
            var keys = new ColumnarInsert<>(cw, cw.COMMUNITY_ID);
            communities.forEach((id, v) -> {
                d.row(id, v[GROSS], v[PLATFORM], v[GATEWAY], v[GST], v[NET], v[PENDING], v[AVAILABLE], v[LOCKED], v[WITHDRAWN]);
                keys.row(id);
            });
            keys.insert(tx).onConflictDoNothing().execute();
            // One statement: the CTE locks the rows in the sorted order, the UPDATE adds the deltas it carries.
            var locked = DSL.name("locked").as(DSL.select(d.columns()).from(cw).join(d.source())
                    .on(cw.COMMUNITY_ID.eq(d.column(cw.COMMUNITY_ID))).orderBy(d.ordinality()).forUpdate().of(cw));
            tx.with(locked).update(cw)
                    .set(cw.TOTAL_GROSS_REVENUE_PAISE, cw.TOTAL_GROSS_REVENUE_PAISE.plus(d.column("locked", cw.TOTAL_GROSS_REVENUE_PAISE)))
                    .set(cw.TOTAL_PLATFORM_FEES_PAISE, cw.TOTAL_PLATFORM_FEES_PAISE.plus(d.column("locked", cw.TOTAL_PLATFORM_FEES_PAISE)))
                    .set(cw.TOTAL_GATEWAY_FEES_PAISE, cw.TOTAL_GATEWAY_FEES_PAISE.plus(d.column("locked", cw.TOTAL_GATEWAY_FEES_PAISE)))
                    .set(cw.TOTAL_GST_COLLECTED_PAISE, cw.TOTAL_GST_COLLECTED_PAISE.plus(d.column("locked", cw.TOTAL_GST_COLLECTED_PAISE)))
                    .set(cw.TOTAL_NET_REVENUE_PAISE, cw.TOTAL_NET_REVENUE_PAISE.plus(d.column("locked", cw.TOTAL_NET_REVENUE_PAISE)))
                    .set(cw.PENDING_SETTLEMENT_PAISE, cw.PENDING_SETTLEMENT_PAISE.plus(d.column("locked", cw.PENDING_SETTLEMENT_PAISE)))
                    .set(cw.AVAILABLE_BALANCE_PAISE, cw.AVAILABLE_BALANCE_PAISE.plus(d.column("locked", cw.AVAILABLE_BALANCE_PAISE)))
                    .set(cw.LOCKED_BALANCE_PAISE, cw.LOCKED_BALANCE_PAISE.plus(d.column("locked", cw.LOCKED_BALANCE_PAISE)))
                    .set(cw.TOTAL_WITHDRAWN_PAISE, cw.TOTAL_WITHDRAWN_PAISE.plus(d.column("locked", cw.TOTAL_WITHDRAWN_PAISE)))
                    .set(cw.UPDATED_AT, DSL.currentOffsetDateTime())
                    .from(DSL.table(DSL.name("locked"))).where(cw.COMMUNITY_ID.eq(d.column("locked", cw.COMMUNITY_ID)))
                    .execute();
        }
        if (!members.isEmpty()) {
            var mw = MEMBER_WALLET;
            var d = new ColumnarInsert<>(mw, mw.COMMUNITY_ID, mw.ROLE, mw.USER_ID, mw.PENDING_PAISE, mw.AVAILABLE_PAISE,
                    mw.LOCKED_PAISE, mw.PAID_OUT_PAISE, mw.RECEIVABLE_PAISE);
            var keys = new ColumnarInsert<>(mw, mw.COMMUNITY_ID, mw.ROLE, mw.USER_ID);
            members.forEach((k, v) -> {
                d.row(k.communityId(), k.role(), k.userId(), v[0], v[1], v[2], v[M_PAID_OUT], v[M_RECEIVABLE]);
                keys.row(k.communityId(), k.role(), k.userId());
            });
            keys.insert(tx).onConflictDoNothing().execute();
            var locked = DSL.name("locked").as(DSL.select(d.columns()).from(mw).join(d.source())
                    .on(mw.COMMUNITY_ID.eq(d.column(mw.COMMUNITY_ID)), mw.ROLE.eq(d.column(mw.ROLE)), mw.USER_ID.eq(d.column(mw.USER_ID)))
                    .orderBy(d.ordinality()).forUpdate().of(mw));
            tx.with(locked).update(mw)
                    .set(mw.PENDING_PAISE, mw.PENDING_PAISE.plus(d.column("locked", mw.PENDING_PAISE)))
                    .set(mw.AVAILABLE_PAISE, mw.AVAILABLE_PAISE.plus(d.column("locked", mw.AVAILABLE_PAISE)))
                    .set(mw.LOCKED_PAISE, mw.LOCKED_PAISE.plus(d.column("locked", mw.LOCKED_PAISE)))
                    .set(mw.PAID_OUT_PAISE, mw.PAID_OUT_PAISE.plus(d.column("locked", mw.PAID_OUT_PAISE)))
                    .set(mw.RECEIVABLE_PAISE, mw.RECEIVABLE_PAISE.plus(d.column("locked", mw.RECEIVABLE_PAISE)))
                    .set(mw.UPDATED_AT, DSL.currentOffsetDateTime())
                    .from(DSL.table(DSL.name("locked")))
                    .where(mw.COMMUNITY_ID.eq(d.column("locked", mw.COMMUNITY_ID)), mw.ROLE.eq(d.column("locked", mw.ROLE)),
                            mw.USER_ID.eq(d.column("locked", mw.USER_ID)))
                    .execute();
        }
    }
}
