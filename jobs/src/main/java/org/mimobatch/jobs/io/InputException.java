package org.mimobatch.jobs.io;

/** An input dataset is missing or does not have the columns a job needs; the message names them. */
public final class InputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InputException(String message) {
    super(message);
  }

  public InputException(String message, Throwable cause) {
    super(message, cause);
  }
}
