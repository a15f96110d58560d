package dev.ioasid.properties;

import dev.ioasid.contract.Bounds;
import dev.ioasid.model.Rule;
import dev.ioasid.reports.RecordedLog;
import java.nio.file.Path;
import java.util.stream.Collectors;

/** Renders what validating a recorded log found: the verdict first, then every divergence. */
public final class ValidationReport {

    private ValidationReport() {
    }

    public static String text(Path file, LogValidation.Outcome outcome) {
        StringBuilder out = new StringBuilder();
        RecordedLog log = outcome.log();
        int divergences = outcome.divergences().size();
        out.append(outcome.agrees() ? "AGREES: " : "DIVERGES: ").append(file).append(": ")
                .append(outcome.agrees() ? "every one of " + outcome.steps() + " steps is one the model allows"
                        : divergences + " of " + outcome.steps() + " steps the model does not allow")
                .append(" (profile ").append(outcome.bounds().profile().cliName())
                .append(outcome.design() == dev.ioasid.model.Design.PAGE_TABLE_OWNER ? "" : ", design " + outcome.design().cliName())
                .append(")\n");
        if (!log.name().isEmpty() || !log.source().isEmpty()) {
            out.append("  log: ").append(log.name()).append(log.source().isEmpty() ? "" : " [" + log.source() + "]")
                    .append('\n');
        }
        for (LogValidation.Divergence d : outcome.divergences()) {
            out.append("  step ").append(d.index() + 1).append(" (line ").append(d.entry().line()).append("): ")
                    .append(d.op()).append(" returned ").append(d.observed()).append(", expected ").append(d.expected())
                    .append(" by ").append(d.rules().map(Rule::id).mkString(", "))
                    .append(rulesText(d)).append('\n')
                    .append("      ").append(d.follow().words());
            if (d.after() > 0) {
                out.append(" (after ").append(d.after()).append(" divergence").append(d.after() == 1 ? "" : "s")
                        .append(" not followed: this one may be their echo)");
            }
            out.append('\n');
            if (!d.entry().note().isEmpty()) {
                out.append("      note: ").append(d.entry().note()).append('\n');
            }
        }
        for (LogValidation.BrokenInvariant b : outcome.brokenInvariants()) {
            out.append("  step ").append(b.index() + 1).append(": the model's own state breaks \"").append(b.invariant())
                    .append("\": ").append(b.detail()).append('\n');
        }
        out.append("  rules deciding the agreeing steps: ").append(outcome.rulesDeciding().size())
                .append(outcome.rulesDeciding().isEmpty() ? "" : " (" + outcome.rulesDeciding().stream().map(Rule::id)
                        .collect(Collectors.joining(", ")) + ")")
                .append('\n');
        return out.toString();
    }

    /** The deciding rules' summaries, so that a reader sees what the model holds without opening SPEC.md. */
    private static String rulesText(LogValidation.Divergence d) {
        return d.rules().isEmpty() ? "" : " (" + d.rules().map(Rule::summary).mkString("; ") + ")";
    }

    /** What replays this validation: the command line. */
    public static String replayLine(Path file, LogValidation.Outcome outcome, boolean profileOverridden) {
        return "java -jar cli/target/ioasid-contract.jar validate " + file
                + (profileOverridden ? " --profile " + outcome.bounds().profile().cliName() : "")
                + (outcome.design() == dev.ioasid.model.Design.PAGE_TABLE_OWNER ? "" : " --design " + outcome.design().cliName());
    }
}
