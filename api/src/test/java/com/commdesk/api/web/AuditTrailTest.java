package com.commdesk.api.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.commdesk.ledger.LedgerDatabase;
import com.commdesk.ledger.audit.AuditLog;
import com.commdesk.ledger.testing.TestDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Which writes are audit entries, on the real audit_log. Review s12 left one gap: a write whose answer was a 5xx may have
 * committed its decision first (a refund approval recorded, then the workflow start failed), and was not an entry, so the
 * log had no trace of who made a decision the books hold.
 */
class AuditTrailTest {
    static final String PATH = "/api/v1/finance/refunds/rf_1/approve";
    LedgerDatabase db;
    AuditLog audit;
    AuditTrail trail;

    @BeforeEach
    void setUp() {
        db = TestDatabases.fresh();
        audit = new AuditLog(db.dsl());
        trail = new AuditTrail(audit, 64 * 1024, new SimpleMeterRegistry());
        Jwt jwt = Jwt.withTokenValue("t").header("alg", "none").subject("approver1").claim(Caller.ROLES_CLAIM, List.of("FINANCE_APPROVER"))
                .issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(60)).build();
        SecurityContextHolder.getContext().setAuthentication(new JwtAuthenticationToken(jwt));
    }

    @AfterEach
    void tearDown() throws Exception {
        SecurityContextHolder.clearContext();
        db.close();
    }

    private MockHttpServletResponse write(int status) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", PATH);
        request.setContent("{\"note\":\"ok\"}".getBytes(StandardCharsets.UTF_8));
        MockHttpServletResponse response = new MockHttpServletResponse();
        trail.doFilter(request, response, (rq, rs) -> {
            rq.getInputStream().readAllBytes();
            ((HttpServletResponse) rs).setStatus(status);
        });
        return response;
    }

    private List<AuditLog.Entry> entries() {
        return audit.list("approver1", PATH, null, 10);
    }

    @Test
    void aSuccessfulWriteIsAnEntryAndARefusalIsNot() throws Exception {
        write(202);
        write(409);
        write(422);
        assertThat(entries()).extracting(AuditLog.Entry::httpStatus).containsExactly(202);
    }

    @Test
    void aWriteAnswered5xxIsAnEntryWithItsStatusForItsDecisionMayHaveBeenCommitted() throws Exception {
        write(503);
        assertThat(entries()).singleElement().satisfies(e -> {
            assertThat(e.httpStatus()).isEqualTo(503);
            assertThat(e.actor()).isEqualTo("approver1");
            assertThat(e.requestDigest()).hasSize(64);
        });
    }

    @Test
    void a503ForADatabaseThatWasAwayWroteNothingAndIsNoEntry() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", PATH);
        trail.doFilter(request, new MockHttpServletResponse(), (rq, rs) -> {
            rq.setAttribute(AuditTrail.NOTHING_WRITTEN, Boolean.TRUE); // as ProblemHandler marks a ledger CONTENTION/UNAVAILABLE
            ((HttpServletResponse) rs).setStatus(503);
        });
        assertThat(entries()).isEmpty();
    }

    @Test
    void aWriteWhoseHandlerThrewIsAnEntryAs500AndTheErrorStillReachesTheContainer() {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", PATH);
        assertThatThrownBy(() -> trail.doFilter(request, new MockHttpServletResponse(), (rq, rs) -> {
            throw new IllegalStateException("the database went away after the commit");
        })).hasMessageContaining("went away");
        assertThat(entries()).extracting(AuditLog.Entry::httpStatus).containsExactly(500);
    }
}
