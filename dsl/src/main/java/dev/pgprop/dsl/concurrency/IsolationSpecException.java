package dev.pgprop.dsl.concurrency;

import dev.pgprop.dsl.PgPropException;

/**
 * An isolation spec that cannot be read or run: its file, the line and the reason.
 *
 * <pre>{@code
 * try {
 *     IsolationSpec.load(Path.of("specs/broken.spec"));
 * } catch (IsolationSpecException e) {
 *     e.line();        // 7
 *     e.getMessage();  // "specs/broken.spec:7: step \"a\" is declared twice ..."
 * }
 * }</pre>
 */
public class IsolationSpecException extends PgPropException {
    private static final long serialVersionUID = 1L;
    private final String source;
    private final int line;

    public IsolationSpecException(String source, int line, String reason) {
        super(source + (line > 0 ? ":" + line : "") + ": " + reason);
        this.source = source;
        this.line = line;
    }

    public IsolationSpecException(String source, int line, String reason, Throwable cause) {
        super(source + (line > 0 ? ":" + line : "") + ": " + reason, cause);
        this.source = source;
        this.line = line;
    }

    /** The spec's file name or label. */
    public String source() {
        return source;
    }

    /** The line the problem is on, from 1; 0 when it concerns the whole spec. */
    public int line() {
        return line;
    }
}
