package com.commdesk.api.analytics;

import static com.commdesk.api.web.Tokens.as;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.commdesk.api.web.ProblemResponses;
import com.commdesk.api.web.Role;
import com.commdesk.api.web.SecurityConfiguration;
import com.commdesk.api.web.Tokens;
import com.commdesk.ledger.WalletStatements;
import com.commdesk.ledger.analytics.MemberWallets;
import com.commdesk.ledger.analytics.MonthlyStatements;
import com.commdesk.ledger.analytics.PayoutAnalytics;
import com.commdesk.ledger.analytics.PlatformAccounts;
import com.commdesk.ledger.analytics.Registers;
import com.commdesk.ledger.analytics.RevenueAnalytics;
import com.commdesk.ledger.analytics.ShareAnalytics;
import com.commdesk.ledger.analytics.reports.CommissionProjections;
import com.commdesk.ledger.analytics.reports.OperationalReports;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Tenancy of the dashboard's figures, statements and reports with the real access table: an owner reads
 * its own communities only, a member its own wallet and payouts only, platform figures are finance's and
 * the platform admin's; and a refused caller is refused before anything is read or validated (no
 * repository is touched, and a malformed id or month earns another tenant a 403, not a 400 that
 * echoes its input).
 */
@WebMvcTest(controllers = {AnalyticsController.class, StatementsController.class, CommissionReportsController.class},
        properties = Tokens.ISSUER)
@Import({SecurityConfiguration.class, ProblemResponses.class, AnalyticsAccess.class})
class AnalyticsAccessTest {
    @Autowired MockMvc mvc;
    @MockitoBean RevenueAnalytics revenue;
    @MockitoBean PlatformAccounts accounts;
    @MockitoBean PayoutAnalytics payouts;
    @MockitoBean ShareAnalytics shares;
    @MockitoBean MemberWallets wallets;
    @MockitoBean WalletStatements statements;
    @MockitoBean Registers registers;
    @MockitoBean MonthlyStatements monthly;
    @MockitoBean CommissionProjections projections;
    @MockitoBean OperationalReports reports;

    private void noneRead() {
        verifyNoInteractions(revenue, accounts, payouts, shares, wallets, statements, registers, monthly, projections, reports);
    }

    @Test
    void anOwnerOfAnotherCommunityIsRefusedBeforeAnythingIsReadOrValidated() throws Exception {
        for (String path : List.of("/api/v1/analytics/communities/demo-community/overview?month=2026-01",
                "/api/v1/analytics/communities/demo-community/overview?month=2026-13",
                "/api/v1/analytics/communities/demo-community/split", "/api/v1/analytics/communities/demo-community/members",
                "/api/v1/analytics/communities/demo-community/members/u-owner/wallet?after=-1",
                "/api/v1/analytics/communities/demo-community/payouts", "/api/v1/analytics/communities/demo-community/transactions",
                "/api/v1/analytics/communities/demo-community/refunds", "/api/v1/statements/communities/demo-community/2026-01",
                "/api/v1/statements/communities/demo-community/not-a-month?format=xml",
                "/api/v1/reports/distributions?communityId=demo-community", "/api/v1/reports/rule-audit?communityId=demo-community",
                "/api/v1/reports/commission-projections?communityId=demo-community&months=99",
                "/api/v1/analytics/communities/bad!id/overview")) {
            try {
                mvc.perform(get(path).with(as("other-owner", Role.COMMUNITY_OWNER, "other-community")))
                        .andExpect(status().isForbidden())
                        .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("demo-community"))));
            } catch (AssertionError e) {
                throw new AssertionError(path + ": " + e.getMessage(), e);
            }
        }
        noneRead();
    }

    @Test
    void anOwnerReadsItsOwnCommunity() throws Exception {
        mvc.perform(get("/api/v1/analytics/communities/demo-community/members").with(as("owner", Role.COMMUNITY_OWNER, "demo-community")))
                .andExpect(status().isOk());
        verify(wallets).community("demo-community");
        // ... and a malformed id of its own is a 400 naming the field
        mvc.perform(get("/api/v1/statements/communities/demo-community/2026-13").with(as("owner", Role.COMMUNITY_OWNER, "demo-community")))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.field").value("month"));
    }

    @Test
    void aMemberReadsOnlyItsOwnWalletAndPayouts() throws Exception {
        when(statements.member(any(), any(), anyLong(), anyInt())).thenReturn(new WalletStatements.Page(List.of(), null));
        mvc.perform(get("/api/v1/analytics/communities/demo-community/members/u-admin1/wallet").with(as("u-admin1", Role.MEMBER)))
                .andExpect(status().isOk()).andExpect(jsonPath("$.userId").value("u-admin1"));
        mvc.perform(get("/api/v1/analytics/communities/demo-community/payouts?userId=u-admin1").with(as("u-admin1", Role.MEMBER)))
                .andExpect(status().isOk());
        verify(payouts).payouts("demo-community", "u-admin1", 100);
        Mockito.clearInvocations(statements, wallets, payouts);
        for (String path : List.of("/api/v1/analytics/communities/demo-community/members/u-owner/wallet",
                "/api/v1/analytics/communities/demo-community/payouts", "/api/v1/analytics/communities/demo-community/payouts?userId=u-owner",
                "/api/v1/analytics/communities/demo-community/overview", "/api/v1/analytics/communities/demo-community/members",
                "/api/v1/statements/communities/demo-community/2026-01", "/api/v1/analytics/platform/overview")) {
            mvc.perform(get(path).with(as("u-admin1", Role.MEMBER))).andExpect(status().isForbidden());
        }
        noneRead();
    }

    @Test
    void platformFiguresAreFinancesAndTheAdminsOnly() throws Exception {
        for (Role r : new Role[] {Role.COMMUNITY_OWNER, Role.MEMBER, Role.OPS, Role.PAYMENT_SERVICE}) {
            for (String path : List.of("/api/v1/analytics/platform/overview", "/api/v1/analytics/platform/top-communities",
                    "/api/v1/statements/platform/2026-01", "/api/v1/reports/rule-effectiveness", "/api/v1/reports/commission-projections",
                    "/api/v1/reports/rule-audit")) {
                mvc.perform(get(path).with(as("x", r, "demo-community"))).andExpect(status().isForbidden());
            }
        }
        noneRead();
        mvc.perform(get("/api/v1/analytics/platform/top-communities").with(as("admin", Role.PLATFORM_ADMIN))).andExpect(status().isOk());
        mvc.perform(get("/api/v1/analytics/platform/top-communities").with(as("viewer", Role.FINANCE_VIEWER))).andExpect(status().isOk());
        verify(revenue, Mockito.times(2)).topCommunities(any(), eq(10));
    }

    @Test
    void meTellsAMemberItsWalletsAndAnOwnerItsCommunities() throws Exception {
        when(wallets.ofUser("u-admin1", 100)).thenReturn(List.of(new MemberWallets.Wallet("demo-community", "admins", "u-admin1", 1, 2, 3, 4, 0,
                null)));
        mvc.perform(get("/api/v1/analytics/me").with(as("u-admin1", Role.MEMBER)))
                .andExpect(status().isOk()).andExpect(jsonPath("$.wallets[0].communityId").value("demo-community"))
                .andExpect(jsonPath("$.roles[0]").value("MEMBER"));
        mvc.perform(get("/api/v1/analytics/me").with(as("owner", Role.COMMUNITY_OWNER, "demo-community")))
                .andExpect(status().isOk()).andExpect(jsonPath("$.communities[0]").value("demo-community"))
                .andExpect(jsonPath("$.wallets").isEmpty());
        mvc.perform(get("/api/v1/analytics/me").with(as("app", Role.PAYMENT_SERVICE))).andExpect(status().isForbidden());
    }
}
