package com.commdesk.activities.cashfree;

import com.cashfree.Cashfree;

/**
 * Guards the cashfree_pg SDK's process-wide configuration. The SDK reads credentials and environment from
 * public static fields ({@code Cashfree.XClientId}, {@code XClientSecret}, {@code XEnvironment}) on every
 * call, so two adapters with different credentials in one JVM would silently use whichever was set last.
 *
 * <p>Rule: the first open adapter installs its credentials; further adapters may open only with the same
 * credentials and environment (they share the installation, reference-counted); the last one to close
 * blanks the fields. Every call re-checks under the same lock that the fields still hold our values
 * (someone else writing them is detected, not tolerated), which also gives the calling thread a
 * happens-before edge to the write.
 */
final class CashfreeSdkGlobals {

    private static final Object LOCK = new Object();
    private static Installation installed; // guarded by LOCK
    private static int users;              // guarded by LOCK

    /** What is installed. {@code toString} never shows the secret. */
    record Installation(String clientId, String clientSecret, CashfreeConfig.Environment environment) {
        @Override
        public String toString() {
            return "client id " + clientId + " (" + environment + ")";
        }
    }

    private CashfreeSdkGlobals() {
    }

    static Installation acquire(CashfreeConfig config) {
        Installation wanted = new Installation(config.clientId(), config.clientSecret(), config.environment());
        synchronized (LOCK) {
            if (users > 0 && !installed.equals(wanted)) {
                throw new IllegalStateException("cashfree_pg keeps credentials in static fields, and an adapter for "
                        + installed + " is already open in this JVM; one JVM can use only one set of Cashfree "
                        + "credentials at a time (asked for " + wanted + ")");
            }
            if (users == 0) {
                Cashfree.XClientId = wanted.clientId();
                Cashfree.XClientSecret = wanted.clientSecret();
                Cashfree.XEnvironment = wanted.environment() == CashfreeConfig.Environment.PRODUCTION
                        ? Cashfree.PRODUCTION : Cashfree.SANDBOX;
                installed = wanted;
            }
            users++;
            return wanted;
        }
    }

    static void release(Installation installation) {
        synchronized (LOCK) {
            if (users == 0 || !installation.equals(installed)) {
                return;
            }
            users--;
            if (users == 0) {
                Cashfree.XClientId = "";
                Cashfree.XClientSecret = "";
                Cashfree.XEnvironment = Cashfree.SANDBOX;
                installed = null;
            }
        }
    }

    /** Before each call: our values are still the ones installed. */
    static void check(Installation installation) {
        synchronized (LOCK) {
            boolean ours = installation.equals(installed)
                    && installation.clientId().equals(Cashfree.XClientId)
                    && installation.clientSecret().equals(Cashfree.XClientSecret)
                    && (installation.environment() == CashfreeConfig.Environment.PRODUCTION)
                    == (Cashfree.XEnvironment == Cashfree.PRODUCTION);
            if (!ours) {
                throw new IllegalStateException("the cashfree_pg SDK's static credentials were changed outside "
                        + "CashfreePgAdapter; refusing to call Cashfree with someone else's credentials");
            }
        }
    }
}
