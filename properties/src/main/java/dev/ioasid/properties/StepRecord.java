package dev.ioasid.properties;

import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Result;
import dev.ioasid.model.Rule;
import io.vavr.collection.List;

/** One checked step: the call, what the implementation returned, what the model allowed, and why. */
public record StepRecord(Operation op, Result observed, String expected, List<Rule> rules) {
}
