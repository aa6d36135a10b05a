package dev.pgprop.dsl.internal;

import dev.pgprop.dsl.Row;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * A {@code COPY ... FROM STDIN} in progress, written through one reusable buffer: values are
 * encoded straight into it (big-endian binary fields, or COPY text with its escapes) and the
 * buffer goes to the server each time it fills, so encoding and the server's parsing overlap and
 * no per-row or per-field objects are made.
 */
public final class CopyStream implements AutoCloseable {
    private static final int FLUSH_AT = 1 << 16;
    private static final byte[] BINARY_HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0};

    private final CopyIn copy;
    private byte[] buf = new byte[FLUSH_AT + 1024];
    private int pos;
    private boolean done;

    private CopyStream(CopyIn copy) {
        this.copy = copy;
    }

    /** Starts {@code copySql} (a {@code COPY ... FROM STDIN}) on {@code c}. */
    public static CopyStream open(Connection c, String copySql) throws SQLException {
        return new CopyStream(c.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql));
    }

    /** The binary format's signature, flags and header extension (no OIDs). */
    public void binaryHeader() throws SQLException {
        putBytes(BINARY_HEADER, 0, BINARY_HEADER.length);
    }

    /** Room for {@code n} more bytes in the buffer (sending what it holds first when needed). */
    public void ensure(int n) throws SQLException {
        if (pos + n <= buf.length) {
            return;
        }
        flush();
        if (n > buf.length) {
            buf = new byte[Math.max(n, buf.length * 2)];
        }
    }

    /** Sends the buffer when it holds enough to be worth a message; call between rows. */
    public void rowDone() throws SQLException {
        if (pos >= FLUSH_AT) {
            flush();
        }
    }

    private void flush() throws SQLException {
        if (pos > 0) {
            copy.writeToCopy(buf, 0, pos);
            pos = 0;
        }
    }

    public void putByte(int v) throws SQLException {
        ensure(1);
        buf[pos++] = (byte) v;
    }

    public void putShort(int v) throws SQLException {
        ensure(2);
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
    }

    public void putInt(int v) throws SQLException {
        ensure(4);
        putIntAt(pos, v);
        pos += 4;
    }

    private void putIntAt(int at, int v) {
        buf[at] = (byte) (v >>> 24);
        buf[at + 1] = (byte) (v >>> 16);
        buf[at + 2] = (byte) (v >>> 8);
        buf[at + 3] = (byte) v;
    }

    public void putLong(long v) throws SQLException {
        ensure(8);
        putIntAt(pos, (int) (v >>> 32));
        putIntAt(pos + 4, (int) v);
        pos += 8;
    }

    public void putFloat(float v) throws SQLException {
        putInt(Float.floatToRawIntBits(v));
    }

    public void putDouble(double v) throws SQLException {
        putLong(Double.doubleToRawLongBits(v));
    }

    public void putBytes(byte[] b, int off, int len) throws SQLException {
        ensure(len);
        System.arraycopy(b, off, buf, pos, len);
        pos += len;
    }

    /**
     * A pgvector {@code vector} as a binary COPY field (its length word included): dimensions,
     * an unused word, then each component as a float4.
     */
    public void putVectorField(float[] v) throws SQLException {
        int len = 4 + 4 * v.length;
        ensure(4 + len);
        putIntAt(pos, len);
        buf[pos + 4] = (byte) (v.length >>> 8);
        buf[pos + 5] = (byte) v.length;
        buf[pos + 6] = 0;
        buf[pos + 7] = 0;
        int p = pos + 8;
        for (float x : v) {
            putIntAt(p, Float.floatToRawIntBits(x));
            p += 4;
        }
        pos = p;
    }

    /** A text value as a binary COPY field: its UTF-8 length, then its bytes ({@code prefix} first when not negative, e.g. jsonb's version byte). */
    public void putUtf8Field(String s, int prefix) throws SQLException {
        int extra = prefix >= 0 ? 1 : 0;
        ensure(4 + extra + 3 * s.length());
        int start = pos;
        pos += 4;
        if (extra == 1) {
            buf[pos++] = (byte) prefix;
        }
        utf8(s, false);
        putIntAt(start, pos - start - 4);
    }

    /** A value's text form as a COPY text field: UTF-8 with backslash, tab, newline and carriage return escaped. */
    public void putCopyText(String s) throws SQLException {
        ensure(6 * s.length());
        utf8(s, true);
    }

    /** Writes {@code s} as UTF-8 at pos (room for 3 bytes per char, 6 when escaping, ensured by the caller). */
    private void utf8(String s, boolean escape) {
        byte[] b = buf;
        int p = pos;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char ch = s.charAt(i);
            if (ch < 0x80) {
                if (escape) {
                    switch (ch) {
                        case '\\' -> { b[p++] = '\\'; b[p++] = '\\'; continue; }
                        case '\t' -> { b[p++] = '\\'; b[p++] = 't'; continue; }
                        case '\n' -> { b[p++] = '\\'; b[p++] = 'n'; continue; }
                        case '\r' -> { b[p++] = '\\'; b[p++] = 'r'; continue; }
                        default -> { }
                    }
                }
                b[p++] = (byte) ch;
            } else if (ch < 0x800) {
                b[p++] = (byte) (0xc0 | (ch >> 6));
                b[p++] = (byte) (0x80 | (ch & 0x3f));
            } else if (Character.isHighSurrogate(ch) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(ch, s.charAt(++i));
                b[p++] = (byte) (0xf0 | (cp >> 18));
                b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
                b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
                b[p++] = (byte) (0x80 | (cp & 0x3f));
            } else if (Character.isSurrogate(ch)) {
                b[p++] = '?'; // a lone surrogate has no UTF-8 form (as String.getBytes writes it)
            } else {
                b[p++] = (byte) (0xe0 | (ch >> 12));
                b[p++] = (byte) (0x80 | ((ch >> 6) & 0x3f));
                b[p++] = (byte) (0x80 | (ch & 0x3f));
            }
        }
        pos = p;
    }

    /** A value's COPY text (before COPY's escapes) for column {@code column} of a row. */
    @FunctionalInterface
    public interface TextField {
        String text(Object value, int column);
    }

    /**
     * Writes {@code rows} as COPY text, {@code columns} in order (a NULL as {@code \N}), then
     * {@link #finish}es; returns the rows the server took.
     */
    public long textRows(List<Row> rows, String[] columns, TextField field) throws SQLException {
        for (Row r : rows) {
            for (int i = 0; i < columns.length; i++) {
                if (i > 0) {
                    putByte('\t');
                }
                Object v = r.get(columns[i]);
                if (v == null) {
                    putByte('\\');
                    putByte('N');
                } else {
                    putCopyText(field.text(v, i));
                }
            }
            putByte('\n');
            rowDone();
        }
        return finish();
    }

    /** Sends the rest and ends the COPY; returns the rows the server took. */
    public long finish() throws SQLException {
        flush();
        done = true;
        return copy.endCopy();
    }

    /** Cancels a COPY that did not finish (an encoding error): the server discards it. */
    @Override
    public void close() {
        if (!done && copy.isActive()) {
            try {
                copy.cancelCopy();
            } catch (SQLException e) {
                // the connection reports the state on its next use
            }
        }
    }
}
