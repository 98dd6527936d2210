package com.commdesk.fees;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Defensive, order-preserving, unmodifiable copies that keep null (and null elements) so that
 * validation can name the offending field instead of failing with a NullPointerException.
 */
public final class Copies {
    private Copies() {}

    public static <T> List<T> list(List<T> in) {
        if (in == null) return null;
        return Collections.unmodifiableList(new ArrayList<>(in));
    }

    public static <K, V> Map<K, V> map(Map<K, V> in) {
        if (in == null) return null;
        return Collections.unmodifiableMap(new LinkedHashMap<>(in));
    }
}
