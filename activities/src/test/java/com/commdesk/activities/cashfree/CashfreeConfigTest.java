package com.commdesk.activities.cashfree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CashfreeConfigTest {

    static final String SECRET = "cfsk_ma_prod_super_secret_value";

    @Test
    void fromEnvReadsEverything() {
        CashfreeConfig c = CashfreeConfig.fromEnv(Map.of(
                "CASHFREE_CLIENT_ID", "CF123",
                "CASHFREE_CLIENT_SECRET", SECRET,
                "CASHFREE_ENV", "production",
                "CASHFREE_API_VERSION", "2023-08-01",
                "CASHFREE_TIMEOUT_MS", "2500"));
        assertThat(c.clientId()).isEqualTo("CF123");
        assertThat(c.clientSecret()).isEqualTo(SECRET);
        assertThat(c.environment()).isEqualTo(CashfreeConfig.Environment.PRODUCTION);
        assertThat(c.baseUrlOverride()).isNull();
        assertThat(c.timeout()).isEqualTo(Duration.ofMillis(2500));
    }

    @Test
    void defaultsAreSandboxTenSecondsAndTheSdksVersion() {
        CashfreeConfig c = CashfreeConfig.fromEnv(Map.of("CASHFREE_CLIENT_ID", "CF1", "CASHFREE_CLIENT_SECRET", SECRET,
                "CASHFREE_BASE_URL", "http://127.0.0.1:8089"));
        assertThat(c.environment()).isEqualTo(CashfreeConfig.Environment.SANDBOX);
        assertThat(c.apiVersion()).isEqualTo("2023-08-01");
        assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.baseUrlOverride()).isEqualTo("http://127.0.0.1:8089");
    }

    @Test
    void toStringRedactsTheSecret() {
        CashfreeConfig c = CashfreeConfig.sandbox("CF1", SECRET);
        assertThat(c.toString()).doesNotContain(SECRET).contains("CF1").contains("redacted");
    }

    @Test
    void missingOrBadValuesNameTheVariableNotTheSecret() {
        Map<String, String> env = new HashMap<>(Map.of("CASHFREE_CLIENT_SECRET", SECRET));
        assertThatThrownBy(() -> CashfreeConfig.fromEnv(env)).hasMessageContaining("CASHFREE_CLIENT_ID");
        env.put("CASHFREE_CLIENT_ID", "CF1");
        env.put("CASHFREE_ENV", "staging");
        assertThatThrownBy(() -> CashfreeConfig.fromEnv(env)).hasMessageContaining("CASHFREE_ENV")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET));
        env.put("CASHFREE_ENV", "sandbox");
        env.put("CASHFREE_TIMEOUT_MS", "soon");
        assertThatThrownBy(() -> CashfreeConfig.fromEnv(env)).hasMessageContaining("CASHFREE_TIMEOUT_MS");
        env.remove("CASHFREE_TIMEOUT_MS");
        env.remove("CASHFREE_CLIENT_SECRET");
        assertThatThrownBy(() -> CashfreeConfig.fromEnv(env)).hasMessageContaining("CASHFREE_CLIENT_SECRET");
    }

    @Test
    void overrideRules() {
        assertThatThrownBy(() -> CashfreeConfig.sandbox("a", "b").withBaseUrlOverride("ftp://x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CashfreeConfig.sandbox("a", "b").withBaseUrlOverride("http://h:1/p?q=1"))
                .isInstanceOf(IllegalArgumentException.class);
        CashfreeConfig prod = new CashfreeConfig("a", SECRET, CashfreeConfig.Environment.PRODUCTION, null, null, null);
        assertThatThrownBy(() -> prod.withBaseUrlOverride("http://proxy.example.com"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PRODUCTION");
        assertThat(prod.withBaseUrlOverride("http://127.0.0.1:9000").baseUrlOverride()).isEqualTo("http://127.0.0.1:9000");
        assertThat(prod.withBaseUrlOverride("https://proxy.example.com/cf").baseUrlOverride()).isEqualTo("https://proxy.example.com/cf");
        assertThat(CashfreeConfig.sandbox("a", "b").withBaseUrlOverride(" ").baseUrlOverride()).isNull();
    }

    @Test
    void timeoutAndVersionAreValidated() {
        assertThatThrownBy(() -> CashfreeConfig.sandbox("a", "b").withTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CashfreeConfig.sandbox("a", "b").withTimeout(Duration.ofHours(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CashfreeConfig("a", "b", CashfreeConfig.Environment.SANDBOX, null, "v3", null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
