package com.commdesk.api.community;

import static com.commdesk.api.web.Tokens.as;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.commdesk.api.web.IdempotentWrites;
import com.commdesk.api.web.ProblemResponses;
import com.commdesk.api.web.Role;
import com.commdesk.api.web.SecurityConfiguration;
import com.commdesk.api.web.Tokens;
import com.commdesk.ledger.community.CommunityOnboarding;
import com.commdesk.ledger.community.CommunityOnboarding.Community;
import com.commdesk.ledger.community.CommunityOnboarding.Settings;
import com.commdesk.ledger.community.IdempotentRequests;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

@WebMvcTest(controllers = CommunitiesController.class, properties = Tokens.ISSUER)
@Import({SecurityConfiguration.class, ProblemResponses.class, IdempotentWrites.class})
class CommunitiesControllerTest {
    static final Settings DEMO = new Settings("Demo", "STANDARD", "KA", null, "VERIFIED", 7, "DAILY", 10000, null, null, null, 24);

    @Autowired MockMvc mvc;
    @MockitoBean CommunityOnboarding onboarding;
    @MockitoBean IdempotentRequests idempotency;

    @Test
    void anAdminCreatesACommunityAsItsTokenSubject() throws Exception {
        when(onboarding.create(eq("new-one"), any(), eq("admin"))).thenReturn(new Community("new-one", DEMO, "admin", null));
        mvc.perform(post("/api/v1/communities").with(as("admin", Role.PLATFORM_ADMIN)).header("Idempotency-Key", "c1")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"communityId\":\"new-one\",\"name\":\"Demo\",\"supplierState\":\"KA\",\"panStatus\":\"VERIFIED\"}"))
                .andExpect(status().isCreated()).andExpect(jsonPath("$.createdBy").value("admin"));
        verify(idempotency).reserve(eq("admin"), eq("c1"), eq("POST /api/v1/communities"), anyString());
    }

    @Test
    void anOwnerCannotCreateCommunitiesNorChangeThePlatformsSettings() throws Exception {
        mvc.perform(post("/api/v1/communities").with(as("owner", Role.COMMUNITY_OWNER, "demo-community")).header("Idempotency-Key", "c1")
                .contentType(MediaType.APPLICATION_JSON).content("{}")).andExpect(status().isForbidden());
        when(onboarding.find("demo-community")).thenReturn(Optional.of(new Community("demo-community", DEMO, "seed", null)));
        mvc.perform(put("/api/v1/communities/demo-community").with(as("owner", Role.COMMUNITY_OWNER, "demo-community"))
                .header("Idempotency-Key", "c2").contentType(MediaType.APPLICATION_JSON).content("{\"holdDays\":0}"))
                .andExpect(status().isForbidden());
        verify(onboarding, never()).update(anyString(), any());
    }

    @Test
    void aSplitThatDoesNotTotal10000IsRefusedBeforeAnythingIsStored() throws Exception {
        when(onboarding.find("demo-community")).thenReturn(Optional.of(new Community("demo-community", DEMO, "seed", null)));
        mvc.perform(post("/api/v1/communities/demo-community/split-agreements").with(as("owner", Role.COMMUNITY_OWNER, "demo-community"))
                .header("Idempotency-Key", "a1").contentType(MediaType.APPLICATION_JSON).content("""
                        {"effectiveFrom":"2999-01-01T00:00:00Z","roles":[{"role":"owner","shareBps":9000,"members":[{"userId":"u1"}]}]}"""))
                .andExpect(status().isUnprocessableContent()).andExpect(jsonPath("$.field").value(org.hamcrest.Matchers.startsWith("roles")));
        verify(onboarding, never()).addAgreement(anyString(), any(), any(), any(), anyString());
        verify(idempotency, never()).reserve(anyString(), anyString(), anyString(), anyString());
    }

    /** Issue 10 item 7: the sources a community offers are stored upper-cased without repeats; [] = every source; a bad one is a 400. */
    @Test
    void sourceTypesAreNormalisedAndValidated() {
        CommunitiesController.CommunityInput in = new CommunitiesController.CommunityInput(null, null, null, null, null, null, null, null,
                null, null, null, java.util.List.of(" event", "EVENT", "sponsor"));
        org.assertj.core.api.Assertions.assertThat(CommunitiesController.settings(in, DEMO).sourceTypes()).containsExactly("EVENT", "SPONSOR");
        CommunitiesController.CommunityInput keep = new CommunitiesController.CommunityInput(null, null, null, null, null, null, null, null,
                null, null, null, null);
        Settings restricted = CommunitiesController.settings(in, DEMO);
        org.assertj.core.api.Assertions.assertThat(CommunitiesController.settings(keep, restricted).sourceTypes()).as("absent: unchanged")
                .containsExactly("EVENT", "SPONSOR");
        CommunitiesController.CommunityInput every = new CommunitiesController.CommunityInput(null, null, null, null, null, null, null, null,
                null, null, null, java.util.List.of());
        org.assertj.core.api.Assertions.assertThat(CommunitiesController.settings(every, restricted).sourceTypes()).isNull();
        CommunitiesController.CommunityInput bad = new CommunitiesController.CommunityInput(null, null, null, null, null, null, null, null,
                null, null, null, java.util.List.of("EVENT", "a b"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CommunitiesController.settings(bad, DEMO))
                .isInstanceOfSatisfying(com.commdesk.api.web.ApiProblem.class, p -> org.assertj.core.api.Assertions.assertThat(p.getMessage())
                        .isNotNull()).extracting(t -> ((com.commdesk.api.web.ApiProblem) t).field()).isEqualTo("sourceTypes[1]");
    }

    @Test
    void anotherCommunitysOwnerIsRefused() throws Exception {
        mvc.perform(post("/api/v1/communities/demo-community/split-agreements").with(as("x", Role.COMMUNITY_OWNER, "other-community"))
                .header("Idempotency-Key", "a1").contentType(MediaType.APPLICATION_JSON).content("{}"))
                .andExpect(status().isForbidden());
        verify(onboarding, never()).find(anyString());
    }
}
