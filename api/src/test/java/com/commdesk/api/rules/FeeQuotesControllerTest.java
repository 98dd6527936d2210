package com.commdesk.api.rules;

import static com.commdesk.api.web.Tokens.as;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.commdesk.api.web.ProblemResponses;
import com.commdesk.api.web.Role;
import com.commdesk.api.web.SecurityConfiguration;
import com.commdesk.api.web.Tokens;
import com.commdesk.fees.FeeSchedule;
import com.commdesk.fees.FeeSchedules;
import com.commdesk.ledger.CommunityRepository;
import com.commdesk.ledger.rules.CommissionRuleRepository;
import com.commdesk.ledger.rules.FeeBoundsRepository;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

@WebMvcTest(controllers = FeeQuotesController.class, properties = Tokens.ISSUER)
@Import({SecurityConfiguration.class, ProblemResponses.class, FeeQuotesControllerTest.Schedule.class})
class FeeQuotesControllerTest {
    @TestConfiguration
    static class Schedule {
        @Bean
        FeeSchedule defaultFeeSchedule() {
            return FeeSchedules.recommendedDefault();
        }
    }

    @Autowired MockMvc mvc;
    @MockitoBean CommissionRuleRepository rules;
    @MockitoBean CommunityRepository communities;
    @MockitoBean FeeBoundsRepository bounds;

    @Test
    void anOwnerQuotesForItsOwnCommunityOnlyAndMembersNotAtAll() throws Exception {
        String other = "{\"communityId\":\"other-community\",\"amountPaise\":100000,\"sourceType\":\"EVENT\",\"paymentMethod\":\"UPI\"}";
        mvc.perform(post("/api/v1/fee-quotes").with(as("owner", Role.COMMUNITY_OWNER, "demo-community"))
                .contentType(MediaType.APPLICATION_JSON).content(other)).andExpect(status().isForbidden());
        mvc.perform(post("/api/v1/fee-quotes").with(as("u-admin1", Role.MEMBER)).contentType(MediaType.APPLICATION_JSON).content(other))
                .andExpect(status().isForbidden());
        verifyNoInteractions(communities, rules, bounds);
    }

    @Test
    void anInlineQuoteWritesNothingAndAddsUp() throws Exception {
        when(bounds.current()).thenReturn(new FeeBoundsRepository.Stored(com.commdesk.fees.FeeBounds.DEFAULT, 1, "seed", java.time.Instant.EPOCH));
        mvc.perform(post("/api/v1/fee-quotes").with(as("commdesk-app", Role.PAYMENT_SERVICE)).contentType(MediaType.APPLICATION_JSON)
                .content("{\"amountPaise\":1000000,\"sourceType\":\"EVENT\",\"paymentMethod\":\"UPI\",\"schedule\":"
                        + new tools.jackson.databind.ObjectMapper().writeValueAsString(FeeSchedules.recommendedDefault()) + "}"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.scheduleSource").value("inline"))
                .andExpect(jsonPath("$.amountPaise").value(1000000));
        verifyNoInteractions(communities);
    }
}
