package io.serigraph.pipeline.spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects the problems found in one spec so that they are all reported together. */
final class Problems {
    private final List<SpecProblem> list = new ArrayList<>();

    void add(int line, String field, String message) {
        list.add(new SpecProblem(line, field, message));
    }

    boolean isEmpty() {
        return list.isEmpty();
    }

    int size() {
        return list.size();
    }

    /** Throws all problems so far, sorted by line (stable), if there are any. */
    void throwIfAny(Path file) throws SpecException {
        if (!list.isEmpty()) {
            List<SpecProblem> sorted = new ArrayList<>(list);
            sorted.sort(Comparator.comparingInt(SpecProblem::line));
            throw new SpecException(file, sorted);
        }
    }
}
