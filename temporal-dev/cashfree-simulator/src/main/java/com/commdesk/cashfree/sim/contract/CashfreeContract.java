package com.commdesk.cashfree.sim.contract;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Our own machine-checkable contract of the Cashfree APIs CommDesk uses ({@code cashfree-contract/contract.json},
 * written from Cashfree's published references; docs/cashfree.md). Operations are matched by method and
 * path; their request and response bodies, and the webhooks, are checked against schemas in a small
 * subset of JSON Schema: {@code type} (one or a list), {@code properties}, {@code required}, {@code enum},
 * {@code pattern}, {@code minLength}, {@code maxLength}, {@code minimum}, {@code maxDecimals} (ours: at most
 * that many digits after the point, for money), {@code items}, {@code maxProperties},
 * {@code additionalProperties} (a schema for every other value), {@code $ref} to {@code #/schemas/...}.
 */
public final class CashfreeContract {
    static final ObjectMapper JSON = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    private final JsonNode root;

    private CashfreeContract(JsonNode root) {
        this.root = root;
    }

    /** The contract shipped with the simulator. */
    public static CashfreeContract load() {
        try (InputStream in = CashfreeContract.class.getResourceAsStream("/cashfree-contract/contract.json")) {
            if (in == null) throw new IllegalStateException("cashfree-contract/contract.json is missing");
            return new CashfreeContract(JSON.readTree(in));
        } catch (IOException e) {
            throw new IllegalStateException("cashfree-contract/contract.json is not JSON", e);
        }
    }

    public JsonNode root() {
        return root;
    }

    /** The operation (its name) whose method and path template match, if the contract has one. */
    public Optional<String> operation(String method, String path) {
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("operations").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> op = it.next();
            String template = op.getValue().path("path").asText();
            String regex = template.replaceAll("\\{[^/}]+}", "[^/]+");
            if (op.getValue().path("method").asText().equals(method) && path.matches(regex)) return Optional.of(op.getKey());
        }
        return Optional.empty();
    }

    /** Violations of an operation's request body (empty: conforms). */
    public List<String> checkRequest(String operation, String body) {
        JsonNode schema = root.path("operations").path(operation).path("request");
        if (schema.isMissingNode()) return List.of();
        return check(schema, parse(body), operation + " request");
    }

    /** Violations of a response: its status must be one the operation documents, its body that status's schema. */
    public List<String> checkResponse(String operation, int status, String body) {
        JsonNode responses = root.path("operations").path(operation).path("responses");
        JsonNode schema = responses.path(Integer.toString(status));
        if (schema.isMissingNode()) schema = responses.path(status / 100 + "xx");
        if (schema.isMissingNode()) return List.of(operation + ": status " + status + " is not in the contract");
        return check(schema, parse(body), operation + " " + status);
    }

    /** Violations of a webhook body of the given kind (e.g. {@code payouts.v2}, {@code pg.payment}). */
    public List<String> checkWebhook(String kind, String body) {
        JsonNode schema = root.path("webhooks").path(kind).path("schema");
        if (schema.isMissingNode()) return List.of("no webhook kind " + kind + " in the contract");
        return check(schema, parse(body), kind + " webhook");
    }

    /** Whether a 404 body is the operation's documented not-found answer. */
    public boolean documentedNotFound(String operation, String body) {
        JsonNode n = parse(body);
        JsonNode codes = root.path("operations").path(operation).path("notFoundCodes");
        for (JsonNode c : codes) if (c.asText().equals(n.path("code").asText(null))) return true;
        return false;
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? JSON.nullNode() : JSON.readTree(body);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode("<not JSON>");
        }
    }

    List<String> check(JsonNode schema, JsonNode value, String at) {
        List<String> out = new ArrayList<>();
        check(schema, value, at, out);
        return out;
    }

    private void check(JsonNode schema, JsonNode v, String at, List<String> out) {
        if (schema.has("$ref")) {
            String name = schema.get("$ref").asText().replace("#/schemas/", "");
            JsonNode target = root.path("schemas").path(name);
            if (target.isMissingNode()) out.add(at + ": unknown $ref " + name);
            else check(target, v, at, out);
            return;
        }
        if (schema.has("type") && !typeMatches(schema.get("type"), v)) {
            out.add(at + ": expected " + schema.get("type") + ", was " + (v == null ? "missing" : v.getNodeType()));
            return;
        }
        if (v == null || v.isNull()) return;
        if (schema.has("enum")) {
            boolean found = false;
            for (JsonNode e : schema.get("enum")) found |= e.asText().equals(v.asText());
            if (!found) out.add(at + ": '" + v.asText() + "' is not one of " + schema.get("enum"));
        }
        if (v.isTextual()) {
            String s = v.asText();
            if (schema.has("pattern") && !Pattern.compile(schema.get("pattern").asText()).matcher(s).find()) {
                out.add(at + ": '" + s + "' does not match " + schema.get("pattern").asText());
            }
            if (schema.has("minLength") && s.length() < schema.get("minLength").asInt()) out.add(at + ": shorter than " + schema.get("minLength"));
            if (schema.has("maxLength") && s.length() > schema.get("maxLength").asInt()) out.add(at + ": longer than " + schema.get("maxLength"));
        }
        if (v.isNumber()) {
            BigDecimal d = v.decimalValue();
            if (schema.has("minimum") && d.compareTo(schema.get("minimum").decimalValue()) < 0) out.add(at + ": " + d + " < " + schema.get("minimum"));
            if (schema.has("maxDecimals") && d.stripTrailingZeros().scale() > schema.get("maxDecimals").asInt()) {
                out.add(at + ": " + d.toPlainString() + " has more than " + schema.get("maxDecimals") + " decimals");
            }
        }
        if (v.isObject()) {
            for (JsonNode r : schema.path("required")) if (!v.has(r.asText()) || v.get(r.asText()).isNull()) out.add(at + ": " + r.asText() + " is required");
            if (schema.has("maxProperties") && v.size() > schema.get("maxProperties").asInt()) out.add(at + ": more than " + schema.get("maxProperties") + " properties");
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                JsonNode p = schema.path("properties").path(f.getKey());
                if (!p.isMissingNode()) check(p, f.getValue(), at + "." + f.getKey(), out);
                else if (schema.path("additionalProperties").isObject()) check(schema.get("additionalProperties"), f.getValue(), at + "." + f.getKey(), out);
            }
        }
        if (v.isArray() && schema.has("items")) {
            for (int i = 0; i < v.size(); i++) check(schema.get("items"), v.get(i), at + "[" + i + "]", out);
        }
    }

    private static boolean typeMatches(JsonNode type, JsonNode v) {
        if (type.isArray()) {
            for (JsonNode t : type) if (typeMatches(t, v)) return true;
            return false;
        }
        boolean missing = v == null || v.isMissingNode() || v.isNull();
        return switch (type.asText()) {
            case "null" -> missing;
            case "string" -> !missing && v.isTextual();
            case "number" -> !missing && v.isNumber();
            case "integer" -> !missing && v.isIntegralNumber();
            case "boolean" -> !missing && v.isBoolean();
            case "object" -> !missing && v.isObject();
            case "array" -> !missing && v.isArray();
            default -> false;
        };
    }
}
