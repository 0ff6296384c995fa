package io.seqguard.internal;

import java.util.ArrayList;
import java.util.List;

/** Splits work into bounded pieces: each becomes one transaction with a bounded number of locks. */
final class Chunks {

    private Chunks() {
    }

    static <T> List<List<T>> of(List<T> items, int size) {
        List<List<T>> chunks = new ArrayList<>();
        for (int i = 0; i < items.size(); i += size) {
            chunks.add(items.subList(i, Math.min(items.size(), i + size)));
        }
        return chunks;
    }
}
