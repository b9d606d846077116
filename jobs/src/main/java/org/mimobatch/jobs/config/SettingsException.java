package org.mimobatch.jobs.config;

/** A configuration key is unknown or holds a value it cannot take; the message names the key. */
public final class SettingsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SettingsException(String message) {
    super(message);
  }
}
