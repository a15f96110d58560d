package dev.ioasid.reports;

import dev.ioasid.contract.Bounds;
import dev.ioasid.contract.DeviceSpec;
import java.util.List;

/**
 * Renders a trace for people: a headline naming the broken rule, the numbered steps (call, observed,
 * and expected where they differ, with the deciding rules), and what replays it.
 */
public final class TraceRenderer {

    private TraceRenderer() {
    }

    /**
     * Whether the trace ends where an implementation broke the protocol (crashed, hung, answered out
     * of order) rather than where it broke a rule: such a trace names no rule, and its last step has
     * no observed result.
     */
    public static boolean protocolBroken(Trace trace) {
        return trace.brokenRules().isEmpty() && trace.steps().get(trace.failingStep()).observed() == null;
    }

    public static String text(Trace trace, List<String> replay) {
        StringBuilder out = new StringBuilder();
        out.append(protocolBroken(trace) ? "PROTOCOL BROKEN: " : "FAILED: ").append(trace.headline()).append('\n');
        out.append("broken rule: ").append(rules(trace)).append('\n');
        out.append("minimal trace (").append(trace.steps().size()).append(" steps) against ")
                .append(trace.implementation()).append(", found by ").append(trace.engine()).append(":\n");
        int callWidth = trace.steps().stream().mapToInt(s -> s.op().toString().length()).max().orElse(0);
        for (int i = 0; i < trace.steps().size(); i++) {
            TraceStep step = trace.steps().get(i);
            String call = step.op().toString();
            out.append(String.format("%3d. %-" + callWidth + "s -> %s", i + 1, call, step.shownObserved()));
            if (i == trace.failingStep()) {
                // A mismatch shows what was expected; a broken invariant shows where the state went wrong.
                boolean mismatch = !step.expected().equals(step.shownObserved());
                out.append(mismatch ? "   <-- expected " + step.expected() : "   <-- the invariant breaks here")
                        .append(" [").append(String.join(", ", step.rules())).append(']');
            }
            if (trace.cause() != null && i == trace.cause().step()) {
                out.append("   <-- root cause [").append(String.join(", ", trace.cause().rules())).append(']');
            }
            out.append('\n');
            for (String change : step.changes()) {
                out.append(" ".repeat(callWidth > 0 ? 9 : 5)).append(change).append('\n');
            }
        }
        if (trace.cause() != null) {
            out.append("root cause: step ").append(trace.cause().step() + 1).append(", ")
                    .append(trace.steps().get(trace.cause().step()).op()).append(" [")
                    .append(String.join(", ", trace.cause().rules())).append("]: right after it, ")
                    .append(trace.cause().shownBy()).append('\n');
        }
        out.append("bounds: ").append(describe(trace.bounds())).append('\n');
        trace.seed().ifPresent(seed -> out.append("seed: ").append(seed).append('\n'));
        for (String line : replay) {
            out.append("replay: ").append(line).append('\n');
        }
        return out.toString();
    }

    /** The broken rules, or why there are none: no result came back to judge. */
    private static String rules(Trace trace) {
        return trace.brokenRules().isEmpty() ? "none: the implementation gave no result to judge"
                : String.join(", ", trace.brokenRules());
    }

    public static String markdown(Trace trace, List<String> replay) {
        StringBuilder out = new StringBuilder();
        out.append(protocolBroken(trace) ? "### Protocol broken: " : "### Failed: ").append(escape(trace.headline())).append("\n\n");
        out.append("Broken rule: **").append(rules(trace)).append("**. Minimal trace of ")
                .append(trace.steps().size()).append(" steps against `").append(trace.implementation())
                .append("`, found by `").append(trace.engine()).append("`.\n\n");
        if (trace.cause() != null) {
            out.append("Root cause: step ").append(trace.cause().step() + 1).append(", `")
                    .append(trace.steps().get(trace.cause().step()).op()).append("` (")
                    .append(String.join(", ", trace.cause().rules())).append("): right after it, ")
                    .append(escape(trace.cause().shownBy())).append(".\n\n");
        }
        out.append("| # | call | observed | expected | rules | state changes |\n|---|---|---|---|---|---|\n");
        for (int i = 0; i < trace.steps().size(); i++) {
            TraceStep step = trace.steps().get(i);
            boolean failing = i == trace.failingStep();
            boolean cause = trace.cause() != null && i == trace.cause().step();
            out.append("| ").append(cause ? (i + 1) + " (root cause)" : String.valueOf(i + 1)).append(" | `").append(step.op()).append("` | ")
                    .append(failing ? "**" + escape(step.shownObserved()) + "**" : escape(step.shownObserved()))
                    .append(" | ").append(escape(step.expected())).append(" | ").append(String.join(", ", step.rules()))
                    .append(" | ").append(escape(String.join("<br>", step.changes()))).append(" |\n");
        }
        out.append("\nBounds: ").append(escape(describe(trace.bounds()))).append('\n');
        trace.seed().ifPresent(seed -> out.append("Seed: `").append(seed).append("`\n"));
        for (String line : replay) {
            out.append("\nReplay: `").append(line).append("`\n");
        }
        return out.toString();
    }

    /** The bounds in one line. */
    public static String describe(Bounds b) {
        StringBuilder devices = new StringBuilder();
        for (DeviceSpec d : b.devices()) {
            devices.append(devices.length() == 0 ? "" : ", ").append("dev").append(d.id()).append("(vm").append(d.vm())
                    .append(' ').append(d.driver().name().toLowerCase().replace('_', '-'))
                    .append(d.pasidCapable() ? " pasids<" + d.pasids() : " no-pasid").append(d.pri() ? " pri" : "")
                    .append(d.guestPasidTable() ? " guest-pasid-table" : "")
                    .append(b.iommufd() && d.viommuCapable() ? " viommu" : "")
                    .append(b.iommufd() && d.dirtyTrackingCapable() ? " dirty-tracking" : "")
                    .append(b.iommufd() ? reserved(d) : "").append(')');
        }
        return "profile=" + b.profile().cliName() + " capacity=" + b.capacity() + " pasids=1.." + b.pasidMax() + " vms=" + b.vms() + " devices=[" + devices
                + "] iova=" + b.iovaPages() + " host=" + b.hostPages() + " objects/vm=" + b.maxObjects() + " mms=" + b.mms();
    }

    /** The device's reserved IOVA pages, as {@code reserves=7,10-11}. */
    private static String reserved(DeviceSpec d) {
        StringBuilder ranges = new StringBuilder();
        for (var r : d.reserved()) {
            ranges.append(ranges.length() == 0 ? " reserves=" : ",").append(r.iova())
                    .append(r.pages() == 1 ? "" : "-" + (r.end() - 1));
        }
        return ranges.toString();
    }

    private static String escape(String text) {
        return text.replace("|", "\\|");
    }
}
