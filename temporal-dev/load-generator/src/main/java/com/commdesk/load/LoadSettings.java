package com.commdesk.load;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Command-line settings; every one has a default that fits the dev stack on this machine. */
record LoadSettings(URI api, URI simulator, String simClientId, String simClientSecret, String databaseUrl,
                    String databaseUser, String databasePassword, double ratePerSecond, Duration duration,
                    double webhookShare, List<String> communities, long minAmountPaise, long maxAmountPaise,
                    Duration drainTimeout, int maxInFlight, Path reportDir, String runId, long seed,
                    URI tokenUrl, String clientId, String clientSecret, String scope, boolean expectNoneParked,
                    int burst, Integer velocityFloor, Duration warmup, boolean prepareOrders) {

    static final String USAGE = """
            usage: commdesk-load [--option value ...]
              --api URL                 CommDesk API (http://127.0.0.1:8080)
              --simulator URL           Cashfree simulator (http://127.0.0.1:8099)
              --sim-client-id ID        simulator PG credentials (the dev stack's fixed dev values)
              --sim-client-secret S
              --database-url JDBC       the platform's PostgreSQL, for completion times and the books check
                                        (default $DATABASE_URL); --database-user, --database-password
              --rate N                  payments per second to start (50)
              --duration D              how long to keep starting them: PT60S or seconds (PT60S)
              --webhook-share F         share of payments handed over only by Cashfree's signed webhook,
                                        the rest by POST /api/v1/payments (0.3)
              --communities A,B         communities to pay into, round robin (demo-community)
              --min-amount-paise N      payment amounts, uniform in [min, max] (10000 .. 500000)
              --max-amount-paise N
              --drain-timeout D         how long to wait for every payment to post after the last start (PT180S)
              --max-in-flight N         hand-overs in flight at once; beyond it a start is counted as shed (2000)
              --report-dir DIR          where report.html and samples.csv go (target/load-report)
              --seed N                  random seed for amounts and the REST/webhook mix (1)
              --token-url URL           OAuth2 token endpoint; with --client-id/--client-secret the API is
                                        called with a client_credentials token (--scope, optional)
              --allow-parked            do not fail when payments end under review or parked
              --burst N                 also N payments from ONE customer into the first community, spread
                                        over the run (order ids loadburst_<run>_*); the run fails unless the
                                        fraud screen flags some of them (0: none)
              --velocity-floor N        before the run, set fraud.velocityFloor of every --communities
                                        community to N (what its owner sets through PUT
                                        /api/v1/communities/{id} before a big event), written through
                                        --database-url, as a seed
              --warmup D                the first D of --duration are a warm-up: its hand-overs are paid,
                                        posted and checked like the rest but reported apart, not in the
                                        latency percentiles (PT0S)
              --prepare-orders          create and pay the orders that go by POST before the clock starts
                                        (Cashfree's side of the payment, on Cashfree's machines in real
                                        life), so the load phase sends only the hand-overs to the API
            """;

    static LoadSettings parse(String[] args, Map<String, String> env) {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String k = args[i];
            if (!k.startsWith("--")) throw new IllegalArgumentException("unexpected argument '" + k + "'");
            if (k.equals("--allow-parked") || k.equals("--prepare-orders") || k.equals("--help")) {
                a.put(k.substring(2), "true");
                continue;
            }
            if (i + 1 >= args.length) throw new IllegalArgumentException(k + " needs a value");
            if (a.put(k.substring(2), args[++i]) != null) throw new IllegalArgumentException(k + " given twice");
        }
        List<String> known = List.of("api", "simulator", "sim-client-id", "sim-client-secret", "database-url", "database-user",
                "database-password", "rate", "duration", "webhook-share", "communities", "min-amount-paise", "max-amount-paise",
                "drain-timeout", "max-in-flight", "report-dir", "seed", "token-url", "client-id", "client-secret", "scope",
                "allow-parked", "burst", "velocity-floor", "warmup", "prepare-orders", "help");
        for (String k : a.keySet()) if (!known.contains(k)) throw new IllegalArgumentException("unknown option --" + k);
        if (a.containsKey("help")) throw new IllegalArgumentException("help");

        String db = a.getOrDefault("database-url", env.get("DATABASE_URL"));
        if (db == null || db.isBlank()) throw new IllegalArgumentException("--database-url (or DATABASE_URL) is required");
        double rate = Double.parseDouble(a.getOrDefault("rate", "50"));
        if (!(rate > 0 && rate <= 10_000)) throw new IllegalArgumentException("--rate must be in (0, 10000]");
        double share = Double.parseDouble(a.getOrDefault("webhook-share", "0.3"));
        if (!(share >= 0 && share <= 1)) throw new IllegalArgumentException("--webhook-share must be in [0, 1]");
        long min = Long.parseLong(a.getOrDefault("min-amount-paise", "10000"));
        long max = Long.parseLong(a.getOrDefault("max-amount-paise", "500000"));
        if (min < 100 || max < min) throw new IllegalArgumentException("amounts: need 100 <= min <= max paise");
        Duration duration = duration(a.getOrDefault("duration", "PT60S"));
        if (duration.isZero() || duration.toHours() > 24) throw new IllegalArgumentException("--duration must be in (0, 24h]");
        int inFlight = Integer.parseInt(a.getOrDefault("max-in-flight", "2000"));
        if (inFlight < 1 || inFlight > 100_000) throw new IllegalArgumentException("--max-in-flight must be in [1, 100000]");
        List<String> communities = Arrays.stream(a.getOrDefault("communities", "demo-community").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (communities.isEmpty()) throw new IllegalArgumentException("--communities is empty");
        int burst = Integer.parseInt(a.getOrDefault("burst", "0"));
        if (burst < 0 || burst > 10_000) throw new IllegalArgumentException("--burst must be in [0, 10000]");
        Integer floor = a.containsKey("velocity-floor") ? Integer.valueOf(a.get("velocity-floor")) : null;
        // The same bounds the onboarding API accepts for fraud.velocityFloor.
        if (floor != null && (floor < 1 || floor > 1_000_000)) throw new IllegalArgumentException("--velocity-floor must be in [1, 1000000]");
        Duration warmup = duration(a.getOrDefault("warmup", "PT0S"));
        if (warmup.isNegative() || warmup.compareTo(duration) >= 0) throw new IllegalArgumentException("--warmup must be shorter than --duration");
        String runId = Long.toString(System.currentTimeMillis(), 36);
        LoadSettings settings = new LoadSettings(URI.create(a.getOrDefault("api", "http://127.0.0.1:8080")),
                URI.create(a.getOrDefault("simulator", "http://127.0.0.1:8099")),
                a.getOrDefault("sim-client-id", "dev-client-id"), a.getOrDefault("sim-client-secret", "dev-client-secret-not-a-secret"),
                db, a.getOrDefault("database-user", env.get("DATABASE_USER")), a.getOrDefault("database-password", env.get("DATABASE_PASSWORD")),
                rate, duration, share, communities, min, max, duration(a.getOrDefault("drain-timeout", "PT180S")), inFlight,
                Path.of(a.getOrDefault("report-dir", "target/load-report")), runId, Long.parseLong(a.getOrDefault("seed", "1")),
                a.containsKey("token-url") ? URI.create(a.get("token-url")) : null, a.get("client-id"), a.get("client-secret"),
                a.get("scope"), !a.containsKey("allow-parked"), burst, floor, warmup, a.containsKey("prepare-orders"));
        if (settings.prepareOrders() && settings.plannedPayments() > LoadGenerator.MAX_PREPARED) {
            throw new IllegalArgumentException("--prepare-orders: at most " + LoadGenerator.MAX_PREPARED + " payments (--rate x --duration)");
        }
        return settings;
    }

    private static Duration duration(String s) {
        return s.startsWith("P") || s.startsWith("p") ? Duration.parse(s) : Duration.ofSeconds(Long.parseLong(s));
    }

    long plannedPayments() {
        return Math.max(1, Math.round(ratePerSecond * duration.toMillis() / 1000.0));
    }

    @Override
    public String toString() {
        return "api=" + api + " simulator=" + simulator + " rate=" + ratePerSecond + "/s duration=" + duration
                + " webhook-share=" + webhookShare + " communities=" + communities + " amounts=" + minAmountPaise + ".." + maxAmountPaise
                + " paise max-in-flight=" + maxInFlight + " run=" + runId + (tokenUrl == null ? "" : " token=" + tokenUrl)
                + (burst == 0 ? "" : " burst=" + burst + " from one customer") + (velocityFloor == null ? "" : " velocity-floor=" + velocityFloor)
                + (warmup.isZero() ? "" : " warmup=" + warmup) + (prepareOrders ? " prepare-orders" : "");
    }
}
