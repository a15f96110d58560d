package dev.ioasid.reports;

import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.Operation;
import dev.ioasid.contract.Result;
import java.util.List;

/**
 * A recorded log ({@code docs/log-format.md}): what a real system did, call by call, with the result
 * it gave, to be checked against the model by {@code validate}.
 *
 * @param name   what the log shows, for the report
 * @param source where it comes from (a selftest function, a tool run), or empty
 * @param bounds the configuration the system had, with the contract profile it claims to follow
 * @param steps  the calls in the order they returned
 */
public record RecordedLog(String name, String source, Bounds bounds, List<Entry> steps) {

    public RecordedLog {
        steps = List.copyOf(steps);
    }

    /**
     * One call and what the system returned.
     *
     * @param line the line of the log file it stands on (1 for the header), for messages
     * @param note free text beside the step, or empty
     */
    public record Entry(int line, Operation op, Result observed, String note) {
    }
}
