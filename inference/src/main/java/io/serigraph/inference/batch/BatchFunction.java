package io.serigraph.inference.batch;

import java.util.List;

/** Runs one batch: one output per input, in the same order. Called from one thread at a time. */
@FunctionalInterface
public interface BatchFunction<I, O> {
    List<O> apply(List<I> inputs) throws Exception;
}
