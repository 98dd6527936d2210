package com.commdesk.activities.cashfree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

class BaseUrlRewriteInterceptorTest {

    @Test
    void keepsCashfreesPathAndQueryUnderTheOverride() {
        HttpUrl original = HttpUrl.get("https://sandbox.cashfree.com/pg/orders/order%201/payments?x=1");
        assertThat(BaseUrlRewriteInterceptor.rewrite(original, HttpUrl.get("http://127.0.0.1:4010")).toString())
                .isEqualTo("http://127.0.0.1:4010/pg/orders/order%201/payments?x=1");
        assertThat(BaseUrlRewriteInterceptor.rewrite(original, HttpUrl.get("http://127.0.0.1:4010/")).toString())
                .isEqualTo("http://127.0.0.1:4010/pg/orders/order%201/payments?x=1");
        assertThat(BaseUrlRewriteInterceptor.rewrite(HttpUrl.get("https://api.cashfree.com/pg/orders"),
                HttpUrl.get("https://proxy.internal:8443/cashfree/")).toString())
                .isEqualTo("https://proxy.internal:8443/cashfree/pg/orders");
    }

    @Test
    void refusesOtherHosts() {
        assertThatThrownBy(() -> BaseUrlRewriteInterceptor.rewrite(HttpUrl.get("https://evil.example.com/pg/orders"),
                HttpUrl.get("http://127.0.0.1:1"))).isInstanceOf(IllegalStateException.class);
    }
}
