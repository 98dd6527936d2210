package com.commdesk.api.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.OAuthFlow;
import io.swagger.v3.oas.models.security.OAuthFlows;
import io.swagger.v3.oas.models.security.Scopes;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The published contract: OpenAPI 3.1 from springdoc at {@code /v3/api-docs}, Swagger UI at
 * {@code /swagger-ui} (log in through the issuer with authorization code + PKCE). Every operation
 * states its security (a bearer token, except the public ones) and its problem+json errors;
 * docs/openapi.json is the committed copy that OpenApiContractTest compares with the running API.
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {
    static final String BEARER = "bearer-jwt";
    static final String OAUTH = "oidc-login";

    /** Errors each operation may answer, all application/problem+json. */
    static final Map<String, String> ERRORS = errors();

    private static Map<String, String> errors() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("400", "Invalid or malformed request (the problem's field names the input at fault)");
        m.put("401", "No valid bearer token from the configured issuer");
        m.put("403", "The token's role or tenancy does not allow this");
        m.put("404", "Not found");
        m.put("409", "Conflict with the current state, or an Idempotency-Key reused with another request");
        m.put("413", "Request body too large");
        m.put("422", "Well-formed but unacceptable input");
        m.put("429", "Rate limit exceeded (see Retry-After)");
        m.put("500", "Unexpected error (no details are given out)");
        return m;
    }

    @Bean
    OpenAPI commdeskOpenApi(@Value("${commdesk.security.issuer-uri:}") String issuer) {
        String base = issuer == null ? "" : issuer.replaceAll("/$", "");
        return new OpenAPI()
                .info(new Info().title("CommDesk revenue platform API").version("v1")
                        .description("Payments, fees, splits, payouts, reconciliation and onboarding. Money is integer paise. "
                                + "Identity and roles: docs/security.md."))
                .components(new Components()
                        .addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")
                                .description("Access token from the OIDC issuer (OIDC_ISSUER_URI)"))
                        .addSecuritySchemes(OAUTH, new SecurityScheme().type(SecurityScheme.Type.OAUTH2)
                                .description("Log in at the issuer (authorization code + PKCE)")
                                .flows(new OAuthFlows().authorizationCode(new OAuthFlow()
                                        .authorizationUrl(base + "/oauth2/authorize").tokenUrl(base + "/oauth2/token")
                                        .scopes(new Scopes().addString("openid", "OpenID Connect"))))));
    }

    static Schema<?> problem() {
        return new Schema<>().types(java.util.Set.of("object")).description("RFC 9457 problem details")
                .addProperty("type", new Schema<>().types(java.util.Set.of("string")).format("uri"))
                .addProperty("title", new Schema<>().types(java.util.Set.of("string")))
                .addProperty("status", new Schema<>().types(java.util.Set.of("integer")).format("int32"))
                .addProperty("detail", new Schema<>().types(java.util.Set.of("string")))
                .addProperty("instance", new Schema<>().types(java.util.Set.of("string")))
                .addProperty("field", new Schema<>().types(java.util.Set.of("string")).description("the input at fault, when there is one"));
    }

    /**
     * Security requirements and problem+json errors on every operation (public ones: no bearer security,
     * no 403); and, since Java record components other than primitives may be null, every property that
     * is not required also admits null (OpenAPI 3.1: {@code type: [..., "null"]}).
     */
    @Bean
    GlobalOpenApiCustomizer securityAndProblems() {
        return api -> {
            if (api.getComponents() == null) api.setComponents(new Components());
            api.getComponents().addSchemas("Problem", problem());
            if (api.getComponents().getSchemas() != null) {
                api.getComponents().getSchemas().forEach((name, schema) -> nullableProperties(schema));
            }
            if (api.getPaths() == null) return;
            api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, op) -> {
                boolean open = SecurityConfiguration.PUBLIC.stream().anyMatch(p -> p.equals(path) || (p.endsWith("/**")
                        && path.startsWith(p.substring(0, p.length() - 3))));
                if (!open) op.setSecurity(List.of(new SecurityRequirement().addList(BEARER), new SecurityRequirement().addList(OAUTH, "openid")));
                else op.setSecurity(List.of());
                addProblems(op, open);
            }));
        };
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void nullableProperties(Schema<?> schema) {
        if (schema.getProperties() == null || "Problem".equals(schema.getName())) return;
        List<String> required = schema.getRequired() == null ? List.of() : schema.getRequired();
        Map<String, Schema> props = (Map) schema.getProperties();
        props.replaceAll((name, p) -> {
            if (required.contains(name)) return p;
            if (p.get$ref() != null) return new Schema<>().anyOf(List.of(new Schema<>().$ref(p.get$ref()), new Schema<>().types(java.util.Set.of("null"))));
            if (p.getTypes() != null && !p.getTypes().isEmpty()) {
                java.util.Set<String> types = new java.util.LinkedHashSet<>(p.getTypes());
                types.add("null");
                p.setTypes(types);
            }
            return p;
        });
    }

    private static void addProblems(Operation op, boolean open) {
        ApiResponses responses = op.getResponses() == null ? new ApiResponses() : op.getResponses();
        ERRORS.forEach((code, description) -> {
            if (open && code.equals("403")) return;
            ApiResponse existing = responses.get(code);
            Content content = new Content().addMediaType("application/problem+json",
                    new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem")));
            if (existing == null) responses.addApiResponse(code, new ApiResponse().description(description).content(content));
            else existing.setContent(content);
        });
        op.setResponses(responses);
    }
}
