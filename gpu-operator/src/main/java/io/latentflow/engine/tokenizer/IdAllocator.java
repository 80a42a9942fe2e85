package io.latentflow.engine.tokenizer;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/** Hands out ids 0, 1, 2, ... below a limit, skipping ids already taken by special tokens. */
final class IdAllocator {
    private final int limit;
    private final Set<Integer> taken;
    private int next;

    IdAllocator(int limit, Collection<Integer> taken) {
        this.limit = limit;
        this.taken = new HashSet<>(taken);
        skipTaken();
    }

    boolean hasNext() {
        return next < limit;
    }

    int next() {
        if (!hasNext()) {
            throw new IllegalStateException("no ids left below " + limit);
        }
        int id = next++;
        skipTaken();
        return id;
    }

    private void skipTaken() {
        while (taken.contains(next)) {
            next++;
        }
    }
}
