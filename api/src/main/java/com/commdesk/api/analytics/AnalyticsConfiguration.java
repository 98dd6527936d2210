package com.commdesk.api.analytics;

import com.commdesk.ledger.LedgerDatabase;
import com.commdesk.ledger.analytics.MemberWallets;
import com.commdesk.ledger.analytics.MonthlyStatements;
import com.commdesk.ledger.analytics.PayoutAnalytics;
import com.commdesk.ledger.analytics.PlatformAccounts;
import com.commdesk.ledger.analytics.Registers;
import com.commdesk.ledger.analytics.RevenueAnalytics;
import com.commdesk.ledger.analytics.ShareAnalytics;
import com.commdesk.ledger.analytics.reports.CommissionProjections;
import com.commdesk.ledger.analytics.reports.OperationalReports;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The dashboard's read side (ledger-db's analytics package) as beans over the API's connection pool. */
@Configuration(proxyBeanMethods = false)
public class AnalyticsConfiguration {
    @Bean
    RevenueAnalytics revenueAnalytics(LedgerDatabase db) {
        return new RevenueAnalytics(db.dsl());
    }

    @Bean
    PlatformAccounts platformAccounts(LedgerDatabase db) {
        return new PlatformAccounts(db.dsl());
    }

    @Bean
    PayoutAnalytics payoutAnalytics(LedgerDatabase db) {
        return new PayoutAnalytics(db.dsl());
    }

    @Bean
    ShareAnalytics shareAnalytics(LedgerDatabase db) {
        return new ShareAnalytics(db.dsl());
    }

    @Bean
    MemberWallets memberWallets(LedgerDatabase db) {
        return new MemberWallets(db.dsl());
    }

    @Bean
    MonthlyStatements monthlyStatements(LedgerDatabase db) {
        return new MonthlyStatements(db.dsl());
    }

    @Bean
    Registers registers(LedgerDatabase db) {
        return new Registers(db.dsl());
    }

    @Bean
    CommissionProjections commissionProjections(LedgerDatabase db) {
        return new CommissionProjections(db.dsl());
    }

    @Bean
    OperationalReports operationalReports(LedgerDatabase db) {
        return new OperationalReports(db.dsl());
    }
}
