package org.ollamaairgap.app.cli;

import java.util.ArrayList;
import java.util.List;
import org.ollamaairgap.app.UsageException;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/** picocli's parse errors in the programs' words: what is wrong, and what to do next. */
final class Refusals {
  private Refusals() {}

  static UsageException of(CommandLine.ParameterException e, String command) {
    String see = "; see " + command + " --help";
    if (e instanceof CommandLine.UnmatchedArgumentException unmatched) {
      String first = unmatched.getUnmatched().isEmpty() ? "" : unmatched.getUnmatched().get(0);
      if (first.startsWith("-") && !first.equals("-")) {
        String flag = first.contains("=") ? first.substring(0, first.indexOf('=')) : first;
        String near = Nearest.of(flag, flags(e.getCommandLine()));
        return new UsageException(
            "unknown option '"
                + flag
                + "'"
                + (near == null ? "" : " (did you mean " + near + "?)")
                + see,
            e);
      }
      return new UsageException("unexpected argument '" + first + "'" + see, e);
    }
    if (e instanceof CommandLine.MissingParameterException missing
        && !missing.getMissing().isEmpty()
        && missing.getMissing().get(0) instanceof OptionSpec option) {
      return new UsageException(
          option.longestName() + " needs a value (" + option.paramLabel() + ")" + see, e);
    }
    if (e instanceof CommandLine.OverwrittenOptionException overwritten
        && overwritten.getOverwritten() instanceof OptionSpec option) {
      return new UsageException(option.longestName() + " is given more than once" + see, e);
    }
    ArgSpec arg = e.getArgSpec();
    if (arg instanceof OptionSpec option && arg.type() == Boolean.class) {
      return new UsageException(
          option.longestName() + " takes true or false, not '" + value(e) + "'" + see, e);
    }
    return new UsageException(Messages.plain(e.getMessage()) + see, e);
  }

  private static String value(CommandLine.ParameterException e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    int start = message.lastIndexOf(": '");
    int end = message.lastIndexOf('\'');
    return start >= 0 && end > start + 3 ? message.substring(start + 3, end) : message;
  }

  private static List<String> flags(CommandLine line) {
    List<String> names = new ArrayList<>();
    for (OptionSpec option : line.getCommandSpec().options()) {
      names.add(option.longestName());
    }
    return names;
  }
}
