package dev.ioasid.cli;

import dev.ioasid.reports.LogFile;
import dev.ioasid.reports.RecordedLog;
import dev.ioasid.reports.Trace;
import dev.ioasid.reports.TraceFile;
import dev.ioasid.reports.TraceFormatException;
import dev.ioasid.reports.TraceStep;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Converts a trace file into a recorded log: the calls with what the implementation returned. */
@Command(name = "to-log", mixinStandardHelpOptions = true,
        description = "Write a trace file's steps, with the results the implementation gave, as a log for validate.")
final class ToLogCommand implements Callable<Integer> {
    @Parameters(paramLabel = "TRACE", description = "a trace file (fuzz, conform, replay)")
    Path traceFile;

    @Option(names = "--out", paramLabel = "FILE", description = "where to write the log (default: standard output)")
    Path out;

    @Override
    public Integer call() throws BadInputException, IOException {
        Trace trace;
        try {
            trace = TraceFile.read(traceFile);
        } catch (TraceFormatException e) {
            throw new BadInputException(e.getMessage());
        }
        List<RecordedLog.Entry> entries = new ArrayList<>();
        for (TraceStep step : trace.steps()) {
            if (step.observed() == null) {
                break; // the implementation gave no result here (crashed or broke the protocol): nothing to record
            }
            entries.add(new RecordedLog.Entry(entries.size() + 2, step.op(), step.observed(), ""));
        }
        RecordedLog log = new RecordedLog(trace.headline(), traceFile + " (" + trace.engine() + ", "
                + trace.implementation() + ")", trace.bounds(), entries);
        if (out == null) {
            System.out.print(LogFile.toText(log));
        } else {
            try {
                LogFile.write(out, log);
            } catch (IOException e) {
                throw new BadInputException("--out " + out + ": cannot write (" + e + ")");
            }
            System.err.println("wrote " + out + " (" + entries.size() + " steps)");
        }
        return Main.HOLDS;
    }
}
