package dev.ioasid.cli;

import dev.ioasid.contract.Profile;
import dev.ioasid.model.Design;
import dev.ioasid.properties.LogValidation;
import dev.ioasid.properties.ValidationReport;
import dev.ioasid.reports.LogFile;
import dev.ioasid.reports.RecordedLog;
import dev.ioasid.reports.TraceFormatException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Checks recorded logs of a real system against the model (docs/log-format.md). */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Check recorded logs (JSON lines, docs/log-format.md) against the model under their profile.",
                "Every divergence is reported with the rule that decided it.",
                "Exit 0: every log agrees; 1: a divergence; 2: a log cannot be read."})
final class ValidateCommand implements Callable<Integer> {
    @Parameters(paramLabel = "LOG", arity = "1..*",
            description = "log files, or directories whose *.jsonl files are all validated")
    List<Path> logs;

    @Option(names = "--profile", paramLabel = "NAME",
            description = "check under this profile instead of the log's own (ioasid-2021 or iommufd)")
    String profile;

    @Option(names = "--design", paramLabel = "NAME", defaultValue = "page-table-owner",
            description = "fault routing the system follows: page-table-owner (the contract, default), or route-by-attachment"
                    + " for hardware that cannot tell stage 1 from stage 2 (SMMUv3 stalls), driver-registers, both-register")
    String design;

    @picocli.CommandLine.Mixin
    CommonOptions.Out out;

    @Override
    public Integer call() throws BadInputException {
        Profile override = profile == null ? null : Profiles.named(profile);
        Design routing = Design.byName(design).orElseThrow(() -> new BadInputException("--design: unknown design '" + design
                + "'; expected page-table-owner, route-by-attachment, driver-registers or both-register"));
        List<Path> files = files();
        // Every log is read before any is checked: a bad file is reported before a long run, not after it.
        List<RecordedLog> read = new ArrayList<>();
        for (Path file : files) {
            try {
                read.add(LogFile.read(file));
            } catch (TraceFormatException e) {
                throw new BadInputException(e.getMessage());
            }
        }
        out.ready();
        int diverging = 0;
        List<LogValidation.Outcome> outcomes = new ArrayList<>();
        List<String> replay = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            RecordedLog log = read.get(i);
            var bounds = override == null ? log.bounds() : log.bounds().withProfile(override);
            LogValidation.Outcome outcome = LogValidation.run(log, bounds, routing);
            outcomes.add(outcome);
            System.out.print(ValidationReport.text(files.get(i), outcome));
            if (!outcome.agrees()) {
                diverging++;
                String line = ValidationReport.replayLine(files.get(i), outcome, override != null);
                replay.add(line);
                System.out.println("  replay: " + line);
            }
        }
        if (files.size() > 1) {
            System.out.println((diverging == 0 ? "AGREES: all " : "DIVERGES: " + diverging + " of ") + files.size()
                    + " logs" + (diverging == 0 ? " agree with the model" : " diverge from the model"));
        }
        HtmlPages.write(out.dir, dev.ioasid.reports.html.HtmlReport.FILE_NAME, HtmlPages.validate(files, outcomes, replay));
        return diverging == 0 ? Main.HOLDS : Main.VIOLATION;
    }

    private List<Path> files() throws BadInputException {
        return Inputs.files(logs, 1, ".*\\.jsonl", "*.jsonl log");
    }
}
