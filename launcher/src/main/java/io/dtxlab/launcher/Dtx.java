package io.dtxlab.launcher;

import io.dtxlab.launcher.bench.BenchCommand;
import io.dtxlab.launcher.bench.SeedCommand;
import io.dtxlab.launcher.chaos.ChaosCommand;
import io.dtxlab.launcher.node.KillCommand;
import io.dtxlab.launcher.node.LogsCommand;
import io.dtxlab.launcher.node.StartCommand;
import io.dtxlab.launcher.node.StopCommand;
import io.dtxlab.launcher.status.StatusCommand;
import io.dtxlab.launcher.token.TokenCommand;
import io.dtxlab.launcher.tour.TourCommand;
import io.dtxlab.launcher.up.UpCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ./dtx} entry point: parses the command line and maps {@link UserError}s to exit codes. */
@Command(name = "dtx", mixinStandardHelpOptions = true, version = "dtx-lab launcher 0.1.0",
        description = "Runs the distributed-transactions lab on this machine.",
        subcommands = {UpCommand.class, StatusCommand.class, StartCommand.class, StopCommand.class,
                KillCommand.class, LogsCommand.class, TokenCommand.class, BenchCommand.class, SeedCommand.class,
                ChaosCommand.class, TourCommand.class})
public final class Dtx implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests call {@code execute} on it without exiting the JVM. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Dtx());
        commandLine.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            if (ex instanceof UserError userError) {
                cmd.getErr().println("dtx: " + userError.getMessage());
                cmd.getErr().flush();
                return userError.exitCode();
            }
            throw ex;
        });
        return commandLine;
    }

    @Override
    public void run() {
        // No subcommand: show what there is rather than failing silently.
        spec.commandLine().usage(System.out);
    }
}
