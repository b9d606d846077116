package org.mimobatch.jobs.cli;

/** The command line cannot be understood; the message says what is wrong. */
public final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }
}
