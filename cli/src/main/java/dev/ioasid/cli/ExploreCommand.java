package dev.ioasid.cli;

import dev.ioasid.explorer.ExploreConfig;
import dev.ioasid.explorer.ExploreResult;
import dev.ioasid.explorer.ExploreTraces;
import dev.ioasid.explorer.Explorer;
import dev.ioasid.explorer.Frontier;
import dev.ioasid.model.Design;
import dev.ioasid.reports.Trace;
import dev.ioasid.reports.TraceFile;
import dev.ioasid.reports.TraceRenderer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Breadth-first exploration of the model within the bounds, for one fault-routing design or all. */
@Command(name = "explore", mixinStandardHelpOptions = true,
        description = "Explore every reachable model state within the bounds; print the verdict per design.")
final class ExploreCommand implements Callable<Integer> {
    @Mixin
    CommonOptions.BoundsFile bounds;

    @Option(names = "--design", paramLabel = "NAME", defaultValue = "page-table-owner",
            description = "page-table-owner, route-by-attachment, driver-registers, both-register, or all (default: ${DEFAULT-VALUE})")
    String design;

    @Option(names = "--threads", defaultValue = "2", description = "threads (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--max-states", defaultValue = "5000000", description = "state budget (default: ${DEFAULT-VALUE})")
    long maxStates;

    @Option(names = "--group-requests", paramLabel = "N", defaultValue = "" + ExploreConfig.DEFAULT_GROUP_REQUESTS,
            description = "page requests a group may hold; 2 explores partial groups, on small bounds (default: ${DEFAULT-VALUE})")
    int groupRequests;

    @Option(names = "--fault-delivery", paramLabel = "MODE", defaultValue = "atomic",
            description = "when a completed page request group reaches its handler: atomic (as it completes, the "
                    + "contract implementations are checked against), interleaved (queued, then delivered by the driver, "
                    + "any call in between; a detach drains the point's queue) or interleaved-no-drain (default: ${DEFAULT-VALUE})")
    String faultDelivery;

    @Option(names = "--no-reduction",
            description = "try every operation in every state instead of skipping, by sleep sets, orders already tried: "
                    + "the same states, more steps; to cross-check the reduction")
    boolean noReduction;

    @Option(names = "--frontier", paramLabel = "HOW", defaultValue = "auto",
            description = "how the states waiting to be expanded are kept: packed (about 90 bytes a state), objects "
                    + "(the model's own, faster and larger), or auto (packed from levels of 262,144 states); the results "
                    + "are the same (default: ${DEFAULT-VALUE})")
    String frontier;

    @Mixin
    CommonOptions.Out out;

    /** The last verdict in a few words, for the check command's summary. */
    String verdict = "not run";

    /** The HTML report's file name in --out (check names each command's own). */
    String reportName = dev.ioasid.reports.html.HtmlReport.FILE_NAME;

    private final List<HtmlPages.DesignRun> runs = new ArrayList<>();

    @Override
    public Integer call() throws BadInputException, java.io.IOException {
        if (threads < 1 || maxStates < 1 || groupRequests < 1) {
            throw new BadInputException("--threads, --max-states and --group-requests must be at least 1");
        }
        List<Design> designs = new ArrayList<>();
        if (design.equals("all")) {
            designs.addAll(List.of(Design.values()));
        } else {
            designs.add(Design.byName(design).orElseThrow(() -> new BadInputException("--design: unknown design '"
                    + design + "'; expected page-table-owner, route-by-attachment, driver-registers, both-register or all")));
        }
        dev.ioasid.model.FaultDelivery delivery = dev.ioasid.model.FaultDelivery.byName(faultDelivery).orElseThrow(
                () -> new BadInputException("--fault-delivery: unknown mode '" + faultDelivery
                        + "'; expected atomic, interleaved or interleaved-no-drain"));
        Frontier keep = switch (frontier) {
            case "auto" -> Frontier.AUTO;
            case "packed" -> Frontier.PACKED;
            case "objects" -> Frontier.OBJECTS;
            default -> throw new BadInputException("--frontier: unknown way '" + frontier
                    + "'; expected auto, packed or objects");
        };
        ExploreConfig base = new ExploreConfig(bounds.orElse(ExploreConfig.defaultBounds()),
                Design.PAGE_TABLE_OWNER, maxStates, threads, groupRequests, !noReduction, delivery);
        out.ready();
        int worst = Main.HOLDS;
        for (Design d : designs) {
            worst = Main.worse(worst, explore(base.with(d), keep));
        }
        HtmlPages.write(out.dir, reportName, HtmlPages.explore(base.bounds(), base.groupRequests(), base.threads(),
                base.reduction(), base.delivery(), runs));
        return worst;
    }

    /** Explores one design: HOLDS, VIOLATION (OUTPUT_LOST if its trace could not be written) or INCONCLUSIVE. */
    private int explore(ExploreConfig config, Frontier keep) {
        System.out.println("exploring design " + config.design().cliName()
                + (config.delivery().queues() ? " with " + config.delivery().cliName() + " fault delivery" : "") + " on "
                + TraceRenderer.describe(config.bounds()) + ", groups of up to " + config.groupRequests()
                + " request(s), with " + config.threads() + " threads");
        java.util.concurrent.atomic.AtomicReference<String> lastProgress = new java.util.concurrent.atomic.AtomicReference<>("");
        ExploreResult result = Interruption.during(
                () -> System.out.println("\nINTERRUPTED exploring " + config.design().cliName() + ": no violation in the states"
                        + " reached so far, but not every state was reached (not a pass); last progress: " + lastProgress.get()),
                () -> Explorer.explore(config, line -> {
                    lastProgress.set(line.trim());
                    System.out.println(line);
                }, keep));
        ExploreResult.Stats s = result.stats();
        String verdict = result instanceof ExploreResult.Holds ? "HOLDS: every reachable state satisfies every invariant"
                : result instanceof ExploreResult.Violated ? "VIOLATED"
                : "BOUND EXHAUSTED: no violation in the states reached, but not every state was reached;\n  stopped by the "
                        + ((ExploreResult.BoundExhausted) result).why();
        System.out.println("  " + verdict);
        this.verdict = verdict.replaceFirst("(?s):.*", "") + String.format(" (%,d states)", result.stats().states());
        String skipped = config.reduction() ? String.format(" (%,d more skipped by sleep sets)", s.slept()) : "";
        System.out.printf("  %,d distinct states, %,d transitions%s, depth %d, %.1f s, %,.0f states/s, %.1f bytes/state "
                + "in the visited set%n", s.states(), s.transitions(), skipped, s.depth(), s.seconds(), s.statesPerSecond(),
                s.bytesPerState());
        if (result instanceof ExploreResult.Violated v) {
            Trace trace = ExploreTraces.trace(config, v);
            String fileName = "explore-" + dev.ioasid.explorer.ExploreTraces.modelName(config).replace('+', '-');
            Path file = out.dir.resolve(fileName + ".json");
            List<String> replay = List.of("java -jar cli/target/ioasid-contract.jar replay " + file);
            boolean written = Outputs.writeOrPrint(file, TraceFile.toJson(trace),
                    out.dir.resolve(fileName + ".md"), TraceRenderer.markdown(trace, replay));
            System.out.print(TraceRenderer.text(trace, replay));
            runs.add(new HtmlPages.DesignRun(config.design(), result, trace, replay));
            return written ? Main.VIOLATION : Main.OUTPUT_LOST;
        }
        runs.add(new HtmlPages.DesignRun(config.design(), result, null, List.of()));
        return result instanceof ExploreResult.Holds ? Main.HOLDS : Main.INCONCLUSIVE;
    }
}
