package com.commdesk.fees;

import java.util.ArrayList;
import java.util.List;

/**
 * Case-insensitive text comparison without allocation. Two strings are equal when they have the
 * same length and, char by char, {@code toLowerCase(toUpperCase(c))} agrees — exactly the rule of
 * {@link String#equalsIgnoreCase} for BMP characters. {@link #hash} is consistent with {@link #equal}.
 */
public final class CaseFold {
    private CaseFold() {}

    public static char fold(char c) {
        if (c < 0x80) return (c >= 'A' && c <= 'Z') ? (char) (c + 32) : c;
        return Character.toLowerCase(Character.toUpperCase(c));
    }

    public static boolean equal(String a, String b) {
        if (a == b) return true;
        if (a == null || b == null) return false;
        int n = a.length();
        if (n != b.length()) return false;
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y && fold(x) != fold(y)) return false;
        }
        return true;
    }

    public static int hash(String s) {
        int h = 0;
        for (int i = 0, n = s.length(); i < n; i++) h = 31 * h + fold(s.charAt(i));
        return h;
    }

    /** The folded (lower-case) form; the same instance when already folded. */
    public static String fold(String s) {
        int n = s.length();
        int i = 0;
        while (i < n && fold(s.charAt(i)) == s.charAt(i)) i++;
        if (i == n) return s;
        char[] out = s.toCharArray();
        for (; i < n; i++) out[i] = fold(out[i]);
        return new String(out);
    }

    /**
     * An immutable case-insensitive map from String to V with allocation-free lookup
     * (open addressing, linear probing).
     */
    public static final class Table<V> {
        private final String[] keys;
        private final Object[] values;
        private final int[] hashes;
        private final int mask;
        private final int size;
        private final List<String> keyList;

        private Table(String[] keys, Object[] values, int[] hashes, int size, List<String> keyList) {
            this.keys = keys;
            this.values = values;
            this.hashes = hashes;
            this.mask = keys.length - 1;
            this.size = size;
            this.keyList = keyList;
        }

        public static <V> Builder<V> builder() {
            return new Builder<>();
        }

        @SuppressWarnings("unchecked")
        public V get(String key) {
            if (key == null) return null;
            int h = hash(key);
            for (int i = spread(h) & mask; ; i = (i + 1) & mask) {
                String k = keys[i];
                if (k == null) return null;
                if (hashes[i] == h && equal(k, key)) return (V) values[i];
            }
        }

        public int size() {
            return size;
        }

        /** Keys in insertion order. */
        public List<String> keys() {
            return keyList;
        }

        private static int spread(int h) {
            return h ^ (h >>> 16) * 0x9E3779B1;
        }

        /** Builds a {@link Table}; {@link #put} returns the previous value for an equal key. */
        public static final class Builder<V> {
            private final List<String> keys = new ArrayList<>();
            private final List<V> values = new ArrayList<>();
            private final java.util.HashMap<String, Integer> index = new java.util.HashMap<>();

            public V put(String key, V value) {
                Integer at = index.putIfAbsent(fold(key), keys.size());
                if (at != null) return values.set(at, value);
                keys.add(key);
                values.add(value);
                return null;
            }

            public V get(String key) {
                Integer at = index.get(fold(key));
                return at == null ? null : values.get(at);
            }

            public Table<V> build() {
                int cap = 4;
                while (cap < keys.size() * 2 + 1) cap <<= 1;
                String[] k = new String[cap];
                Object[] v = new Object[cap];
                int[] hs = new int[cap];
                for (int j = 0; j < keys.size(); j++) {
                    String key = keys.get(j);
                    int h = hash(key);
                    int i = spread(h) & (cap - 1);
                    while (k[i] != null) i = (i + 1) & (cap - 1);
                    k[i] = key;
                    v[i] = values.get(j);
                    hs[i] = h;
                }
                return new Table<>(k, v, hs, keys.size(), List.copyOf(keys));
            }
        }
    }
}
