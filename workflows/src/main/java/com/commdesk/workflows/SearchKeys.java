package com.commdesk.workflows;

import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.common.SearchAttributeKey;
import java.util.List;

/**
 * The search attributes CommDesk's workflows keep up to date, so ops can find workflows in the
 * Temporal Web UI or CLI by business facts (docs/operations.md), e.g.
 * {@code CommunityId = "demo-community" AND PaymentStage = "NEEDS_ATTENTION"}.
 * One list: the worker registers exactly these at start-up ({@code client.SearchAttributeRegistration}),
 * and the workflows upsert them through the typed keys below.
 */
public final class SearchKeys {
    private SearchKeys() {}

    public static final SearchAttributeKey<String> COMMUNITY_ID = SearchAttributeKey.forKeyword("CommunityId");
    public static final SearchAttributeKey<String> PAYMENT_STAGE = SearchAttributeKey.forKeyword("PaymentStage");
    public static final SearchAttributeKey<Long> PAYMENT_AMOUNT_PAISE = SearchAttributeKey.forLong("PaymentAmountPaise");
    public static final SearchAttributeKey<String> CASHFREE_ORDER_ID = SearchAttributeKey.forKeyword("CashfreeOrderId");
    public static final SearchAttributeKey<String> PAYOUT_STATUS = SearchAttributeKey.forKeyword("PayoutStatus");

    /** A name and the server-side type it is registered with. */
    public record Definition(String name, IndexedValueType type) {}

    public static final List<Definition> ALL = List.of(
            new Definition(COMMUNITY_ID.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD),
            new Definition(PAYMENT_STAGE.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD),
            new Definition(PAYMENT_AMOUNT_PAISE.getName(), IndexedValueType.INDEXED_VALUE_TYPE_INT),
            new Definition(CASHFREE_ORDER_ID.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD),
            new Definition(PAYOUT_STATUS.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD));
}
