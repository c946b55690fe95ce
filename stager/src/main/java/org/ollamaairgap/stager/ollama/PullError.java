package org.ollamaairgap.stager.ollama;

import java.util.Locale;
import org.ollamaairgap.stager.driver.StageException.Reason;

/**
 * What an error from Ollama means for the run: whether another pull can fix it, which {@link
 * Reason} it is, and what to tell the operator. Ollama's messages are Go error strings (reference
 * §4), so they are matched by the fragments Ollama's own code puts in them.
 *
 * @param reason why the model failed if this is the last word
 * @param transientError whether retrying the pull may help
 * @param message Ollama's message with a hint for people appended
 */
record PullError(Reason reason, boolean transientError, String message) {

  static PullError classify(String ollamaMessage) {
    String m = ollamaMessage.toLowerCase(Locale.ROOT);
    if (m.contains("file does not exist")) {
      return permanent(
          Reason.NOT_FOUND,
          ollamaMessage,
          "the registry has no such model or tag; check the name and tag");
    }
    if (m.contains("invalid model name")) {
      return permanent(Reason.REMOTE_ERROR, ollamaMessage, "Ollama rejected the name");
    }
    if (m.contains(": 412") || m.contains("412:") || m.contains("newer version of ollama")) {
      return permanent(
          Reason.REMOTE_ERROR,
          ollamaMessage,
          "the registry requires a newer Ollama for this model: upgrade the Ollama server or"
              + " image, and make sure no older 'ollama serve' is still answering on that port");
    }
    if (m.contains("read-only file system")) {
      return permanent(
          Reason.NOT_WRITABLE,
          ollamaMessage,
          "Ollama's models directory is mounted read-only; stage into a writable mount");
    }
    if (m.contains("permission denied")) {
      return permanent(
          Reason.NOT_WRITABLE,
          ollamaMessage,
          "the Ollama process may not write its models directory; give its user write access to"
              + " OLLAMA_MODELS");
    }
    if (m.contains("no space left on device")) {
      return permanent(Reason.NO_SPACE, ollamaMessage, "the models directory is full");
    }
    if (m.contains("mlx")) {
      return permanent(
          Reason.REMOTE_ERROR,
          ollamaMessage,
          "this Ollama cannot pull tensor models; use the registry driver (--driver registry)");
    }
    if (m.contains("unauthorized") || m.contains("401")) {
      return permanent(
          Reason.REMOTE_ERROR,
          ollamaMessage,
          "the registry refused access; Ollama pulls public models anonymously");
    }
    if (m.contains("no location header") || m.matches(".*unexpected status code 30[0-9].*")) {
      return permanent(
          Reason.REMOTE_ERROR,
          ollamaMessage,
          "the registry's blob endpoint must answer with a 307 redirect to another host, as"
              + " registry.ollama.ai does; for a plain registry use --driver registry");
    }
    if (m.contains("digest mismatch")) {
      return retry(Reason.DIGEST_MISMATCH, ollamaMessage);
    }
    if (m.contains("max retries exceeded")) {
      return retry(Reason.TRANSFER_FAILED, ollamaMessage);
    }
    if (m.matches(".*(pull model manifest|unexpected status code):? 4[0-9][0-9].*")) {
      return permanent(Reason.REMOTE_ERROR, ollamaMessage, "the registry refused the request");
    }
    // Network errors ("dial tcp", "i/o timeout", "connection reset", "EOF", 5xx) and anything
    // unknown: Ollama reports every Go error it meets, and most of those are passing.
    return retry(Reason.REMOTE_ERROR, ollamaMessage);
  }

  private static PullError permanent(Reason reason, String message, String hint) {
    return new PullError(reason, false, message + " (" + hint + ")");
  }

  private static PullError retry(Reason reason, String message) {
    return new PullError(reason, true, message);
  }
}
