package com.commdesk.dev;

import static org.assertj.core.api.Assertions.assertThat;

import com.commdesk.ledger.LedgerDatabase;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Bad input gets a 4xx application/problem+json naming the field, and nothing is written. */
class ApiContractTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static LedgerDatabase db;

    @BeforeAll
    static void start() {
        db = SharedStack.db();
    }


    static long paymentsRecorded() {
        return ((Number) db.dsl().fetchValue("select count(*) from payment where payment_id like 'bad-%'")).longValue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            malformed JSON        | {"communityId":"demo-community",                                                                   | 400 |
            missing communityId   | {"sourceType":"EVENT","cashfreeOrderId":"ord_1","amountPaise":100}                                  | 400 | communityId
            missing amount        | {"communityId":"demo-community","sourceType":"EVENT","cashfreeOrderId":"ord_1"}                     | 400 | amountPaise
            zero amount           | {"communityId":"demo-community","sourceType":"EVENT","cashfreeOrderId":"ord_1","amountPaise":0}     | 400 | amountPaise
            negative amount       | {"communityId":"demo-community","sourceType":"EVENT","cashfreeOrderId":"ord_1","amountPaise":-5}    | 400 | amountPaise
            above 10^12 paise     | {"communityId":"demo-community","sourceType":"EVENT","cashfreeOrderId":"ord_1","amountPaise":1000000000001} | 400 | amountPaise
            fractional amount     | {"communityId":"demo-community","sourceType":"EVENT","cashfreeOrderId":"ord_1","amountPaise":10.5}  | 400 |
            amount as string      | {"communityId":"demo-community","sourceType":"EVENT","cashfreeOrderId":"ord_1","amountPaise":"100"} | 400 |
            unknown field         | {"communityId":"demo-community","sourceType":"EVENT","cashfreeOrderId":"ord_1","amountPasie":100}   | 400 |
            bad order id          | {"communityId":"demo-community","sourceType":"EVENT","cashfreeOrderId":"a b","amountPaise":100}     | 400 | cashfreeOrderId
            bad source type       | {"communityId":"demo-community","sourceType":"EV ENT","cashfreeOrderId":"ord_1","amountPaise":100}  | 400 | sourceType
            unknown community     | {"communityId":"no-such-community","sourceType":"EVENT","cashfreeOrderId":"ord_1","amountPaise":100} | 422 | communityId
            """)
    void badInputIsAProblemAndWritesNothing(String name, String body, int status, String field) throws Exception {
        long before = paymentsRecorded();

        HttpResponse<String> r = SharedStack.post("/api/v1/payments", "bad-" + name.replaceAll("[^A-Za-z0-9]", "-"), body);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(r.body());
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("detail").asText()).isNotBlank();
        if (field != null) assertThat(problem.path("field").asText()).isEqualTo(field);
        assertThat(paymentsRecorded()).isEqualTo(before);
    }

    @Test
    void theIdempotencyKeyIsRequired() throws Exception {
        HttpResponse<String> r = SharedStack.post("/api/v1/payments", null,
                "{\"communityId\":\"demo-community\",\"sourceType\":\"EVENT\",\"cashfreeOrderId\":\"ord_nokey\",\"amountPaise\":100}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).path("field").asText()).isEqualTo("Idempotency-Key");
    }

    @Test
    void anUnknownPaymentIs404Problem() throws Exception {
        HttpResponse<String> r = SharedStack.get("/api/v1/payments/no-such-payment");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
    }

    @Test
    void healthIsUpWithDatabaseAndTemporal() throws Exception {
        JsonNode health = JSON.readTree(SharedStack.get("/actuator/health").body());
        assertThat(health.path("status").asText()).isEqualTo("UP");
        assertThat(health.path("components").path("db").path("status").asText()).isEqualTo("UP");
        assertThat(health.path("components").path("temporal").path("status").asText()).isEqualTo("UP");
    }
}
