package io.serigraph.cli;

/** A command-line input the user must fix (a folder that is not there, a conflicting option). */
final class BadInputException extends Exception {
    BadInputException(String message) {
        super(message);
    }
}
