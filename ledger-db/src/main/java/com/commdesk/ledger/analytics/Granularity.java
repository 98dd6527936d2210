package com.commdesk.ledger.analytics;

/** How a series is bucketed: by calendar day or calendar month, in India time. */
public enum Granularity {
    DAY, MONTH;

    /** The SQL expression turning a rollup row's day column into its bucket's first day. */
    String bucket(String dayColumn) {
        return this == DAY ? dayColumn : "date_trunc('month', " + dayColumn + ")::date";
    }
}
