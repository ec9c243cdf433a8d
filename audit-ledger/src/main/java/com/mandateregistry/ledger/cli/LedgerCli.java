package com.mandateregistry.ledger.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The compliance command line: {@code export} a tenant's trail to JSON Lines (from the database or
 * through the API) and {@code verify} an export offline.
 *
 * <pre>
 *   java -jar audit-ledger/target/audit-ledger-&lt;version&gt;-cli.jar verify trail.jsonl
 *   java -cp audit-ledger-&lt;version&gt;-cli.jar com.mandateregistry.ledger.cli.LedgerCli export …
 * </pre>
 *
 * Exit codes: {@value #INTACT} intact / done, {@value #BROKEN} the trail is broken, {@value #USAGE}
 * usage error, {@value #ERROR} I/O, database, HTTP or input-format error.
 */
@Command(
    name = "ledger",
    mixinStandardHelpOptions = true,
    versionProvider = LedgerCli.Version.class,
    description = "Export and verify Mandate Registry audit trails (ledger format v2, which includes v1).",
    subcommands = {ExportCommand.class, VerifyCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:intact (verify) or done (export)",
      "1:the trail is broken (verify)",
      "2:usage error",
      "3:I/O, database, HTTP or input-format error"
    })
public final class LedgerCli implements Callable<Integer> {

  /** Verify: the trail is intact. Export: done. */
  public static final int INTACT = 0;

  /** Verify: the trail is broken; the first broken entry is printed. */
  public static final int BROKEN = 1;

  /** Usage error (unknown option, missing argument, bad value). */
  public static final int USAGE = 2;

  /** The work could not be done: unreadable file, not an export, database or HTTP failure. */
  public static final int ERROR = 3;

  private final Clock clock;

  @Spec CommandSpec spec;

  public LedgerCli() {
    this(Clock.systemUTC());
  }

  /** With a given clock (for export timestamps). */
  public LedgerCli(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public static void main(String[] args) {
    System.exit(commandLine(new LedgerCli()).execute(args));
  }

  /** A picocli command line for {@code cli}, with the exit codes above. */
  public static CommandLine commandLine(LedgerCli cli) {
    CommandLine commandLine = new CommandLine(cli);
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    commandLine.setParameterExceptionHandler(
        (e, args) -> {
          CommandLine cmd = e.getCommandLine();
          PrintWriter err = cmd.getErr();
          err.println("error: " + e.getMessage());
          CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
          err.println("usage: " + cmd.getCommandSpec().qualifiedName() + " --help");
          err.flush();
          return USAGE;
        });
    commandLine.setExecutionExceptionHandler(
        (e, cmd, parseResult) -> {
          PrintWriter err = cmd.getErr();
          err.println("error: " + describe(e));
          err.flush();
          return ERROR;
        });
    return commandLine;
  }

  Clock clock() {
    return clock;
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    err.println("error: give a command: export or verify");
    spec.commandLine().usage(err);
    return USAGE;
  }

  private static String describe(Throwable e) {
    if (e instanceof java.nio.file.NoSuchFileException missing) {
      return "no such file: " + missing.getFile();
    }
    if (e instanceof java.nio.file.AccessDeniedException denied) {
      return "permission denied: " + denied.getFile();
    }
    StringBuilder message = new StringBuilder(String.valueOf(e.getMessage()));
    if (e.getMessage() == null) {
      message = new StringBuilder(e.getClass().getSimpleName());
    }
    for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
      if (cause.getMessage() != null && !message.toString().contains(cause.getMessage())) {
        message.append(": ").append(cause.getMessage());
      }
    }
    return message.toString();
  }

  /** The version from the jar manifest, when there is one. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = LedgerCli.class.getPackage().getImplementationVersion();
      return new String[] {"ledger " + (version == null ? "(development build)" : version)
          + ", ledger format v2 (reads v1 and v2 entries)"};
    }
  }
}
