package com.mandateregistry.ledger.verify;

import java.io.IOException;

/** The input is not a ledger export at all (no or an unreadable header line), so nothing can be verified. */
public class ExportFormatException extends IOException {

  public ExportFormatException(String message) {
    super(message);
  }

  public ExportFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
