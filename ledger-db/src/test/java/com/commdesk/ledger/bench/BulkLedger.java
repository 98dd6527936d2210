package com.commdesk.ledger.bench;

import com.commdesk.fees.CompiledFeeSchedule;
import com.commdesk.fees.FeeBreakdown;
import com.commdesk.fees.FeeEngine;
import com.commdesk.fees.FeeSchedule;
import com.commdesk.fees.FeeSchedules;
import com.commdesk.fees.MemberAllocation;
import com.commdesk.fees.MemberShare;
import com.commdesk.fees.MemberSplitMode;
import com.commdesk.fees.PaymentFacts;
import com.commdesk.fees.RoleAllocation;
import com.commdesk.fees.RoleSplit;
import com.commdesk.fees.SplitEngine;
import com.commdesk.fees.SplitPlan;
import com.commdesk.ledger.JournalLine;
import com.commdesk.ledger.PaymentJournal;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * A fast bulk path that writes whole, valid payments straight into the ledger's tables (a test and
 * benchmark tool, never production): journal, revenue transaction, distributions, platform revenue and,
 * last, the postings, whose trigger projects the wallets (changelog 017), with chosen timestamps, so a
 * test can seed payments on chosen days and a benchmark can seed a million of them in minutes. Every
 * table is written with one array-bound INSERT per chunk, so the ledger's own statement-level guards and
 * the analytics rollup triggers run as they do for the group committer; it works as the runtime role,
 * so the database holds it to the same rules. The invariant checker passes on what it writes.
 *
 * <p>Communities are {@code <prefix>-<n>} (state KA, intra-state GST) with four roles of three equal
 * members (owner 50 %, admins 20 %, moderators 10 %, event team 20 %); amounts come from a fixed set of
 * templates priced by the fee engine's recommended default schedule.
 */
public final class BulkLedger {
    public static final ZoneId INDIA = ZoneId.of("Asia/Kolkata");
    public static final List<RoleSplit> ROLES = List.of(role("owner", 5000), role("admins", 2000), role("moderators", 1000),
            role("event_team", 2000));
    private static final String[] SOURCES = {"EVENT", "SPONSOR", "PREMIUM"};
    private static final String PLACEHOLDER = "zz-template";
    private static final String NO_DIGEST = "0".repeat(64);

    /** One priced payment shape: its breakdown, shares and journal lines for the placeholder community. */
    public record Template(String sourceType, String method, FeeBreakdown breakdown, List<RoleAllocation> shares, List<JournalLine> lines) {}

    /** A payment to write: which community, which template, when. */
    public record Payment(String key, String communityId, int template, OffsetDateTime at) {}

    private final DataSource dataSource;
    private final List<Template> templates;
    private final Map<String, Long> accounts = new HashMap<>();

    /** What a template is made of: an amount, its revenue source and payment method. */
    public record Shape(long amountPaise, String sourceType, String method) {}

    /** Templates priced by {@code schedule} for an intra-state (KA to KA) supply. */
    public BulkLedger(DataSource dataSource, FeeSchedule schedule, List<Shape> shapes) {
        this.dataSource = dataSource;
        CompiledFeeSchedule fees = FeeEngine.compile(schedule);
        SplitPlan split = SplitEngine.compile(ROLES);
        List<Template> t = new ArrayList<>();
        for (Shape shape : shapes) {
            FeeBreakdown b = fees.calculate(new PaymentFacts(shape.amountPaise(), shape.sourceType(), shape.method(), "KA", "KA"));
            List<RoleAllocation> shares = split.split(b.netPaise());
            t.add(new Template(shape.sourceType(), shape.method(), b, shares, PaymentJournal.lines(PLACEHOLDER, b, shares)));
        }
        this.templates = List.copyOf(t);
    }

    /** The recommended default schedule over these amounts, sources and methods taking turns. */
    public BulkLedger(DataSource dataSource, long[] amountsPaise) {
        this(dataSource, FeeSchedules.recommendedDefault(), shapes(amountsPaise));
    }

    private static List<Shape> shapes(long[] amountsPaise) {
        List<Shape> out = new ArrayList<>();
        for (int i = 0; i < amountsPaise.length; i++) {
            out.add(new Shape(amountsPaise[i], SOURCES[i % SOURCES.length], i % 2 == 0 ? "UPI" : "CARD"));
        }
        return out;
    }

    public List<Template> templates() {
        return templates;
    }

    /** Creates the communities (roles, members) and every account their payments will post to. */
    public void createCommunities(String prefix, int count) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            List<JournalLine> lines = new ArrayList<>();
            for (Template t : templates) lines.addAll(t.lines());
            try (PreparedStatement community = c.prepareStatement(
                         "insert into community (community_id, name, supplier_state, hold_days) values (?, ?, 'KA', 7)");
                 PreparedStatement role = c.prepareStatement(
                         "insert into community_role (community_id, role, share_bps, position) values (?, ?, ?, ?)");
                 PreparedStatement member = c.prepareStatement(
                         "insert into community_member (community_id, role, user_id, position) values (?, ?, ?, ?)");
                 PreparedStatement account = c.prepareStatement("insert into ledger_account (code, kind, purpose, community_id, role, user_id)"
                         + " values (?, ?, ?, ?, ?, ?) on conflict (code) do nothing")) {
                for (int n = 0; n < count; n++) {
                    String id = prefix + "-" + n;
                    community.setString(1, id);
                    community.setString(2, "Community " + n);
                    community.addBatch();
                    int position = 0;
                    for (RoleSplit r : ROLES) {
                        role.setString(1, id);
                        role.setString(2, r.role());
                        role.setInt(3, r.shareBps());
                        role.setInt(4, position++);
                        role.addBatch();
                        int m = 0;
                        for (MemberShare s : r.members()) {
                            member.setString(1, id);
                            member.setString(2, r.role());
                            member.setString(3, s.userId());
                            member.setInt(4, m++);
                            member.addBatch();
                        }
                    }
                    Map<String, JournalLine> own = new HashMap<>();
                    for (JournalLine l : lines) if (l.communityId() != null) own.putIfAbsent(code(l.accountCode(), id), l);
                    for (var e : own.entrySet()) {
                        account.setString(1, e.getKey());
                        account.setString(2, e.getValue().kind());
                        account.setString(3, e.getValue().purpose());
                        account.setString(4, id);
                        account.setString(5, e.getValue().role());
                        account.setString(6, e.getValue().userId());
                        account.addBatch();
                    }
                }
                community.executeBatch();
                role.executeBatch();
                member.executeBatch();
                account.executeBatch();
            }
            c.commit();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select code, account_id from ledger_account")) {
                while (rs.next()) accounts.put(rs.getString(1), rs.getLong(2));
            }
            c.commit();
        }
    }

    /** Writes the payments in one transaction (all their rows; the postings' trigger projects the wallets). */
    public void write(List<Payment> payments) throws SQLException {
        if (payments.isEmpty()) return;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("set local synchronous_commit = off");
            }
            long t0 = System.nanoTime();
            Map<String, Long> journalIds = insertJournals(c, payments);
            long t1 = System.nanoTime();
            int n = payments.size();
            List<Long> pJournal = new ArrayList<>(n * 22), pAccount = new ArrayList<>(n * 22), pAmount = new ArrayList<>(n * 22);
            List<OffsetDateTime> pAt = new ArrayList<>(n * 22);
            Rows rt = new Rows(26), rd = new Rows(9), pr = new Rows(7);
            for (Payment p : payments) {
                Template t = templates.get(p.template());
                long journal = journalIds.get(p.key());
                for (JournalLine l : t.lines()) {
                    Long account = accounts.get(code(l.accountCode(), p.communityId()));
                    if (account == null) throw new IllegalStateException("no account " + code(l.accountCode(), p.communityId()));
                    pJournal.add(journal);
                    pAccount.add(account);
                    pAmount.add(l.amountPaise());
                    pAt.add(p.at());
                }
                FeeBreakdown b = t.breakdown();
                UUID tx = UUID.nameUUIDFromBytes(("bulk:" + p.key()).getBytes(StandardCharsets.UTF_8));
                rt.add(tx, p.communityId(), t.sourceType(), "src-" + p.key(), "order-" + p.key(), "cf-" + p.key(), t.method(),
                        b.amountPaise(), b.gstPaise(), b.gstHeads().cgstPaise(), b.gstHeads().sgstPaise(), b.gstHeads().igstPaise(),
                        b.gatewayFeePaise(), b.gatewayFeeGstPaise(), b.platformFeePaise(), b.platformFeeGstPaise(), b.platformFeeGst().name(),
                        b.tcsPaise(), b.tdsPaise(), b.netPaise(), b.scheduleName(), "{}", p.key(), journal, p.at(), null);
                for (RoleAllocation r : t.shares()) {
                    for (MemberAllocation m : r.members()) {
                        rd.add(UUID.nameUUIDFromBytes((tx + ":" + r.role() + ":" + m.userId()).getBytes(StandardCharsets.UTF_8)), tx,
                                p.communityId(), m.userId(), p.communityId() + ":" + r.role(), r.role(), r.shareBps(), m.amountPaise(), p.at());
                    }
                }
                pr.add(UUID.nameUUIDFromBytes(("platform:" + tx).getBytes(StandardCharsets.UTF_8)), tx, b.platformFeePaise(),
                        b.platformFeeGstPaise(), b.platformFeeRateBps(), p.at(), journal);
            }
            rt.insert(c, "revenue_transaction (transaction_id, community_id, source_type, source_id, cashfree_order_id,"
                            + " cashfree_payment_id, payment_method, gross_amount_paise, gst_amount_paise, gst_cgst_paise, gst_sgst_paise,"
                            + " gst_igst_paise, payment_gateway_fee_paise, payment_gateway_gst_paise, platform_fee_paise, platform_fee_gst_paise,"
                            + " platform_fee_gst_mode, tcs_paise, tds_paise, net_revenue_paise, schedule_name, metadata, idempotency_key,"
                            + " journal_id, created_at, rule_id)",
                    "uuid", "text", "text", "text", "text", "text", "text", "bigint", "bigint", "bigint", "bigint", "bigint", "bigint",
                    "bigint", "bigint", "bigint", "text", "bigint", "bigint", "bigint", "text", "jsonb", "text", "bigint", "timestamptz", "text");
            rd.insert(c, "revenue_distribution (distribution_id, transaction_id, community_id, user_id, role_id, role_name, share_bps,"
                    + " amount_paise, created_at)", "uuid", "uuid", "text", "text", "text", "text", "integer", "bigint", "timestamptz");
            pr.insert(c, "platform_revenue (platform_revenue_id, transaction_id, amount_paise, gst_amount_paise, fee_bps, created_at,"
                    + " journal_id)", "uuid", "uuid", "bigint", "bigint", "integer", "timestamptz", "bigint");
            long t3 = System.nanoTime();
            // Postings last: their trigger projects the wallets and the community totals from them and the rows above.
            try (PreparedStatement s = c.prepareStatement("insert into posting (journal_id, account_id, amount_paise, created_at)"
                    + " select * from unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::timestamptz[])")) {
                s.setArray(1, c.createArrayOf("bigint", pJournal.toArray()));
                s.setArray(2, c.createArrayOf("bigint", pAccount.toArray()));
                s.setArray(3, c.createArrayOf("bigint", pAmount.toArray()));
                s.setArray(4, c.createArrayOf("timestamptz", pAt.toArray()));
                s.execute();
            }
            long t4 = System.nanoTime();
            c.commit();
            if (Boolean.getBoolean("bulk.timing")) {
                System.out.printf("  chunk of %d: journals %d ms, revenue rows %d ms, postings and wallets %d ms, commit %d ms%n", n,
                        (t1 - t0) / 1_000_000, (t3 - t1) / 1_000_000, (t4 - t3) / 1_000_000,
                        (System.nanoTime() - t4) / 1_000_000);
            }
        }
    }

    private Map<String, Long> insertJournals(Connection c, List<Payment> payments) throws SQLException {
        List<String> keys = new ArrayList<>(), communities = new ArrayList<>();
        List<OffsetDateTime> at = new ArrayList<>();
        Map<String, String> paymentOfKey = new HashMap<>();
        for (Payment p : payments) {
            // a payment's journal key as JournalKey.payment builds it: payment:<community>:<payment id>
            String key = "payment:" + p.communityId() + ":" + p.key();
            paymentOfKey.put(key, p.key());
            keys.add(key);
            communities.add(p.communityId());
            at.add(p.at());
        }
        Map<String, Long> ids = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("insert into journal (idempotency_key, kind, community_id, description, content_sha256,"
                + " created_at) select k, 'PAYMENT', c, 'bulk payment', ?, t from unnest(?::text[], ?::text[], ?::timestamptz[]) as x(k, c, t)"
                + " returning idempotency_key, journal_id")) {
            s.setString(1, NO_DIGEST);
            s.setArray(2, c.createArrayOf("text", keys.toArray()));
            s.setArray(3, c.createArrayOf("text", communities.toArray()));
            s.setArray(4, c.createArrayOf("timestamptz", at.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) ids.put(paymentOfKey.get(rs.getString(1)), rs.getLong(2));
            }
        }
        return ids;
    }

    /** Column arrays for one {@code INSERT ... SELECT * FROM unnest(...)}. */
    private static final class Rows {
        private final List<List<Object>> columns = new ArrayList<>();

        Rows(int width) {
            for (int i = 0; i < width; i++) columns.add(new ArrayList<>());
        }

        void add(Object... values) {
            for (int i = 0; i < values.length; i++) columns.get(i).add(values[i]);
        }

        void insert(Connection c, String target, String... types) throws SQLException {
            StringBuilder sql = new StringBuilder("insert into ").append(target).append(" select * from unnest(");
            for (int i = 0; i < types.length; i++) sql.append(i == 0 ? "" : ", ").append("?::").append(types[i]).append("[]");
            try (PreparedStatement s = c.prepareStatement(sql.append(')').toString())) {
                for (int i = 0; i < types.length; i++) {
                    Object[] values = columns.get(i).toArray();
                    Array a = c.createArrayOf(types[i].equals("jsonb") ? "text" : types[i], values);
                    s.setArray(i + 1, a);
                }
                s.execute();
            }
        }
    }

    /** The real account code of a template line for a community. */
    private static String code(String templateCode, String communityId) {
        return templateCode.replace(PLACEHOLDER, communityId);
    }

    /** A moment on {@code day} in India time, {@code secondOfDay} seconds after midnight. */
    public static OffsetDateTime at(LocalDate day, int secondOfDay) {
        return day.atStartOfDay(INDIA).plusSeconds(secondOfDay).toOffsetDateTime();
    }

    /** Deterministic pseudo-random payments spread over the days, communities and templates. */
    public List<Payment> plan(String prefix, int communities, LocalDate firstDay, int days, int payments, long seed) {
        Random random = new Random(seed);
        List<Payment> out = new ArrayList<>(payments);
        for (int i = 0; i < payments; i++) {
            LocalDate day = firstDay.plusDays((long) i * days / payments);
            // skewed: a few communities earn most (top-earning lists have something to rank)
            int community = (int) Math.min(communities - 1, (long) (communities * Math.pow(random.nextDouble(), 2)));
            out.add(new Payment(prefix + "-p" + i, prefix + "-" + community, random.nextInt(templates.size()),
                    at(day, random.nextInt(86_400))));
        }
        return out;
    }

    private static RoleSplit role(String name, int bps) {
        List<MemberShare> members = new ArrayList<>();
        for (int i = 1; i <= 3; i++) members.add(new MemberShare(name + "-" + i, 1, 0));
        return new RoleSplit(name, bps, MemberSplitMode.EQUAL, members);
    }
}
