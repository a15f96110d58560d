package dev.ioasid.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Everything on the defaults, one summary: exploration of the contract's design, conformance of the
 * implementation, and a property run against it.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Explore the model, check conformance of an implementation, run the property engine; one summary.")
final class CheckCommand implements Callable<Integer> {
    @Mixin
    CommonOptions.Impl impl;

    @Mixin
    CommonOptions.Out out;

    @picocli.CommandLine.Option(names = "--profile", paramLabel = "NAME",
            description = "contract profile: ioasid-2021 (default) or iommufd")
    String profile;

    @Override
    public Integer call() throws BadInputException {
        java.util.List<String> profileArgs = profile == null ? java.util.List.of()
                : java.util.List.of("--profile", Profiles.named(profile).cliName());
        ExploreCommand explore = new ExploreCommand();
        ConformCommand conform = new ConformCommand();
        FuzzCommand fuzz = new FuzzCommand();
        String dir = out.dir.toString();
        java.util.List<String> implArgs = new java.util.ArrayList<>(impl.asArguments());
        implArgs.addAll(java.util.List.of("--out", dir));
        implArgs.addAll(profileArgs);
        String[] args = implArgs.toArray(String[]::new);
        java.util.List<String> exploreArgs = new java.util.ArrayList<>(java.util.List.of("--out", dir));
        exploreArgs.addAll(profileArgs);
        explore.reportName = "report-explore.html";
        conform.reportName = "report-conform.html";
        fuzz.reportName = "report-fuzz.html";
        int explored = run(explore, exploreArgs.toArray(String[]::new));
        int conformed = run(conform, args);
        int fuzzed = run(fuzz, args);
        int worst = Main.worse(explored, Main.worse(conformed, fuzzed));
        System.out.println();
        System.out.println("summary:");
        System.out.println("  explore (page-table-owner): " + explore.verdict);
        System.out.println("  conform (" + impl.describe() + "): " + conform.verdict);
        System.out.println("  fuzz (" + impl.describe() + "): " + fuzz.verdict);
        HtmlPages.write(out.dir, dev.ioasid.reports.html.HtmlReport.FILE_NAME, HtmlPages.check(impl.describe(), java.util.List.of(
                new HtmlPages.Part("explore (page-table-owner)", explore.verdict, explored, explore.reportName),
                new HtmlPages.Part("conform", conform.verdict, conformed, conform.reportName),
                new HtmlPages.Part("fuzz", fuzz.verdict, fuzzed, fuzz.reportName)), worst));
        return worst;
    }

    private static int run(Object command, String... args) {
        CommandLine line = Main.commandLine(command);
        System.out.println("== " + line.getCommandName() + " " + String.join(" ", args));
        return line.execute(args);
    }
}
