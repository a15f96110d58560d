package dev.ioasid.reports.html;

import dev.ioasid.reports.Trace;
import java.util.List;

/**
 * The fault-ownership story of a trace as a sequence diagram: which device sent each page request,
 * where the IOMMU routed the group (a user fault queue, or the kernel's handler that answers at once),
 * and who answered the device. It is derived from the trace alone (calls, observed results, rules and
 * the {@code changes} lines the model wrote), since the reports module cannot see the model.
 */
public final class SequenceDiagram {

    /** A vertical lane; {@code kind} is {@code device}, {@code iommu}, {@code kernel} or {@code queue}. */
    public record Lane(String id, String label, String kind) {
    }

    /**
     * One row of the diagram: an arrow between two lanes, or a note on one lane when {@code from}
     * equals {@code to}. {@code step} is 0-based; {@code rule} may be empty.
     */
    public record Message(int step, String from, String to, String label, String rule, boolean failing,
                          boolean rootCause) {
    }

    /** The lanes, left to right, and the messages, top to bottom. */
    public record Story(List<Lane> lanes, List<Message> messages) {
        public Story {
            lanes = List.copyOf(lanes);
            messages = List.copyOf(messages);
        }
    }

    static final String IOMMU = "iommu";
    static final String KERNEL = "kernel";

    private SequenceDiagram() {
    }

    public static Story story(Trace trace) {
        return new StoryBuilder(trace).build();
    }

    /** Whether the trace has page request or fault queue traffic to draw. */
    public static boolean hasFaultTraffic(Trace trace) {
        return !story(trace).messages().isEmpty();
    }

    /** The story as an inline {@code <svg>} element, self-contained (no XML prolog, no external style). */
    public static String svg(Story story) {
        return new SvgWriter(story).write();
    }
}
