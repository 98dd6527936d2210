package com.commdesk.ledger;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import org.postgresql.util.PSQLException;

/**
 * The one place where database errors become ledger error codes (every transaction of the ledger
 * runs through {@link Ledger#inTransaction}, which calls {@link #translate} on whatever escapes it):
 * <ul>
 *   <li>40001, 40P01 (serialization failure, deadlock) → CONTENTION, retryable (after the ledger's own
 *       bounded retries);</li>
 *   <li>08xxx (connection), 57P01-57P03 (server shutting down or starting), 53300 (too many
 *       connections), and a pool that hands out no connection → UNAVAILABLE, retryable;</li>
 *   <li>23514 (CHECK) on a wallet → INSUFFICIENT_FUNDS (a bucket would go negative); other 23514,
 *       23502, 23503, P0001-P0003 (the books' own guards) → INVALID_POSTING;</li>
 *   <li>23505 (unique) → DUPLICATE.</li>
 * </ul>
 * A {@link LedgerException} passes through unchanged; anything else is not a database error and is
 * not touched.
 */
public final class SqlStates {
    private SqlStates() {}

    /** A transaction may simply be run again: it left nothing behind (40001, 40P01). */
    static boolean isContention(Throwable e) {
        String s = sqlState(e);
        return "40001".equals(s) || "40P01".equals(s);
    }

    /** The database could not be reached, went away or refused connections for now. */
    static boolean isUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLRecoverableException) return true;
        }
        String s = sqlState(e);
        return s != null && (s.startsWith("08") || s.equals("57P01") || s.equals("57P02") || s.equals("57P03") || s.equals("53300"));
    }

    public static RuntimeException translate(RuntimeException e) {
        if (e instanceof LedgerException) return e;
        if (isContention(e)) return new LedgerException(LedgerException.Code.CONTENTION, "the database is busy: " + e.getMessage(), e);
        if (isUnavailable(e)) return new LedgerException(LedgerException.Code.UNAVAILABLE, "the database is unavailable: " + e.getMessage(), e);
        String s = sqlState(e);
        if (s == null) return e;
        return switch (s) {
            case "23514" -> {
                String constraint = constraint(e);
                boolean wallet = constraint != null && (constraint.startsWith("member_wallet_") || constraint.startsWith("community_wallet_"));
                yield new LedgerException(wallet ? LedgerException.Code.INSUFFICIENT_FUNDS : LedgerException.Code.INVALID_POSTING,
                        (wallet ? "a wallet would go negative: " : "refused by the database: ") + e.getMessage(), e);
            }
            case "23505" -> new LedgerException(LedgerException.Code.DUPLICATE, "already exists: " + e.getMessage(), e);
            case "23502", "23503", "P0001", "P0002", "P0003", "22023", "22003" ->
                    new LedgerException(LedgerException.Code.INVALID_POSTING, "refused by the database: " + e.getMessage(), e);
            default -> e;
        };
    }

    static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null) return s.getSQLState();
        }
        return null;
    }

    /** The name of the violated constraint, when the server reported one. */
    static String constraint(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PSQLException p && p.getServerErrorMessage() != null) return p.getServerErrorMessage().getConstraint();
        }
        return null;
    }
}
