package dev.pgprop.dsl.perf;

import dev.pgprop.dsl.internal.Escape;
import dev.pgprop.dsl.PgError;
import dev.pgprop.dsl.Row;
import dev.pgprop.dsl.ScenarioException;

import com.pgvector.PGvector;
import dev.pgprop.dsl.internal.Json;
import dev.pgprop.dsl.internal.SqlLiterals;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.UUID;
import org.apiguardian.api.API;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Loads rows into one table by a chosen path: binary COPY, text COPY, a JDBC batch (rewritten
 * into multi-row inserts when the connection has {@code reWriteBatchedInserts=true}), or one
 * INSERT per row. Column types come from the catalog; every path writes the same content.
 *
 * <pre>{@code
 * long n = BulkLoad.load(connection, "allocations", rows, BulkLoad.Path.COPY_BINARY);
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class BulkLoad {
    private BulkLoad() {}

    /** How rows travel to the server. */
    public enum Path { COPY_BINARY, COPY_TEXT, BATCH, ROW_BY_ROW }

    private static final OffsetDateTime PG_EPOCH = OffsetDateTime.of(2000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

    /**
     * Loads {@code rows} (all with the same columns) into {@code table} on {@code c}; returns the
     * rows written. Runs in the connection's current transaction state.
     */
    public static long load(Connection c, String table, List<Row> rows, Path path) {
        if (rows.isEmpty()) {
            return 0;
        }
        List<String> columns = new ArrayList<>(rows.get(0).columns());
        for (Row r : rows) {
            if (!r.columns().equals(rows.get(0).columns())) {
                throw new IllegalArgumentException("BulkLoad needs every row to have the same columns; " + r.columns()
                        + " differs from " + rows.get(0).columns());
            }
        }
        try {
            Map<String, String> types = columnTypes(c, table, columns);
            StringJoiner cols = new StringJoiner(", ", "(", ")");
            columns.forEach(col -> cols.add(SqlLiterals.identifier(col)));
            String target = SqlLiterals.identifier(table) + " " + cols;
            return switch (path) {
                case COPY_BINARY -> copy(c, "COPY " + target + " FROM STDIN (FORMAT binary)", binary(rows, columns, types));
                case COPY_TEXT -> copy(c, "COPY " + target + " FROM STDIN (FORMAT text)", text(rows, columns));
                case BATCH -> batch(c, target, rows, columns, types);
                case ROW_BY_ROW -> rowByRow(c, target, rows, columns, types);
            };
        } catch (SQLException e) {
            throw new ScenarioException("bulk load of " + rows.size() + " rows into " + table + " by " + path + " failed: "
                    + PgError.of(e), PgError.of(e), e);
        }
    }

    /** {@code column -> type name} (pg_type.typname, such as int4, timestamptz, vector). */
    static Map<String, String> columnTypes(Connection c, String table, List<String> columns) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT a.attname, t.typname FROM pg_attribute a"
                + " JOIN pg_type t ON t.oid = a.atttypid WHERE a.attrelid = ?::regclass AND a.attnum > 0 AND NOT a.attisdropped")) {
            ps.setString(1, SqlLiterals.identifier(table));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        for (String col : columns) {
            if (!out.containsKey(col)) {
                throw new IllegalArgumentException("table " + table + " has no column " + col + "; it has " + out.keySet());
            }
        }
        return out;
    }

    private static long copy(Connection c, String sql, byte[] data) throws SQLException {
        CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
        try {
            return copy.copyIn(sql, new ByteArrayInputStream(data));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String placeholders(List<String> columns, Map<String, String> types) {
        StringJoiner v = new StringJoiner(", ", "(", ")");
        for (String col : columns) {
            v.add("?::" + types.get(col));
        }
        return v.toString();
    }

    private static long batch(Connection c, String target, List<Row> rows, List<String> columns, Map<String, String> types)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + target + " VALUES " + placeholders(columns, types))) {
            for (Row r : rows) {
                bind(ps, r, columns);
                ps.addBatch();
            }
            long n = 0;
            for (int count : ps.executeBatch()) {
                n += count == java.sql.Statement.SUCCESS_NO_INFO ? 1 : count;
            }
            return n;
        }
    }

    private static long rowByRow(Connection c, String target, List<Row> rows, List<String> columns, Map<String, String> types)
            throws SQLException {
        long n = 0;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + target + " VALUES " + placeholders(columns, types))) {
            for (Row r : rows) {
                bind(ps, r, columns);
                n += ps.executeUpdate();
            }
        }
        return n;
    }

    /** Binds every value as its text form (the cast in the statement types it), so all paths parse alike. */
    private static void bind(PreparedStatement ps, Row r, List<String> columns) throws SQLException {
        for (int i = 0; i < columns.size(); i++) {
            Object v = r.get(columns.get(i));
            ps.setString(i + 1, v == null ? null : textValue(v));
        }
    }

    /** A value as PostgreSQL's input syntax reads it (unquoted, unescaped). */
    static String textValue(Object v) {
        return SqlLiterals.inputText(v);
    }

    private static byte[] text(List<Row> rows, List<String> columns) {
        StringBuilder b = new StringBuilder();
        for (Row r : rows) {
            for (int i = 0; i < columns.size(); i++) {
                if (i > 0) {
                    b.append('\t');
                }
                Object v = r.get(columns.get(i));
                if (v == null) {
                    b.append("\\N");
                    continue;
                }
                Escape.copyText(b, textValue(v));
            }
            b.append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] binary(List<Row> rows, List<String> columns, Map<String, String> types) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeBytes("PGCOPY\n");
            out.write(new byte[] {(byte) 0xff, '\r', '\n', 0});
            out.writeInt(0); // flags
            out.writeInt(0); // header extension
            for (Row r : rows) {
                out.writeShort(columns.size());
                for (String col : columns) {
                    Object v = r.get(col);
                    if (v == null) {
                        out.writeInt(-1);
                    } else {
                        byte[] field = field(types.get(col), v, col);
                        out.writeInt(field.length);
                        out.write(field);
                    }
                }
            }
            out.writeShort(-1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] field(String type, Object v, String column) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        switch (type) {
            case "bool" -> out.writeBoolean(v instanceof Boolean b ? b : Boolean.parseBoolean(v.toString()));
            case "int2" -> out.writeShort(((Number) v).shortValue());
            case "int4" -> out.writeInt(((Number) v).intValue());
            case "int8" -> out.writeLong(((Number) v).longValue());
            case "float4" -> out.writeFloat(((Number) v).floatValue());
            case "float8" -> out.writeDouble(((Number) v).doubleValue());
            case "text", "varchar", "bpchar", "name" -> out.write(v.toString().getBytes(StandardCharsets.UTF_8));
            case "json" -> out.write(textValue(v).getBytes(StandardCharsets.UTF_8));
            case "jsonb" -> {
                out.writeByte(1);
                out.write(textValue(v).getBytes(StandardCharsets.UTF_8));
            }
            case "bytea" -> out.write((byte[]) v);
            case "uuid" -> {
                UUID u = v instanceof UUID x ? x : UUID.fromString(v.toString());
                out.writeLong(u.getMostSignificantBits());
                out.writeLong(u.getLeastSignificantBits());
            }
            case "date" -> out.writeInt((int) ChronoUnit.DAYS.between(PG_EPOCH.toLocalDate(), (LocalDate) v));
            case "timestamptz" -> out.writeLong(ChronoUnit.MICROS.between(PG_EPOCH.toInstant(), instant(v)));
            case "timestamp" -> out.writeLong(ChronoUnit.MICROS.between(PG_EPOCH.toLocalDateTime(), (LocalDateTime) v));
            case "numeric" -> numeric(out, v instanceof BigDecimal d ? d : new BigDecimal(v.toString()));
            case "vector" -> {
                float[] f = v instanceof float[] a ? a : ((PGvector) v).toArray();
                out.writeShort(f.length);
                out.writeShort(0);
                for (float x : f) {
                    out.writeFloat(x);
                }
            }
            default -> throw new IllegalArgumentException("binary COPY of column " + column + " of type " + type
                    + " is not supported; load it with Path.COPY_TEXT or Path.BATCH");
        }
        return bytes.toByteArray();
    }

    private static Instant instant(Object v) {
        return v instanceof Instant i ? i : v instanceof OffsetDateTime o ? o.toInstant() : Instant.parse(v.toString());
    }

    /** PostgreSQL's binary numeric: base-10000 digits, weight, sign, display scale. */
    private static void numeric(DataOutputStream out, BigDecimal d) throws IOException {
        int scale = Math.max(0, d.scale());
        BigInteger unscaled = d.setScale(scale).unscaledValue();
        boolean negative = unscaled.signum() < 0;
        String digits = unscaled.abs().toString();
        // align the decimal point to a multiple of 4 digits on both sides
        int intLen = digits.length() - scale;
        int padLeft = (4 - Math.floorMod(intLen, 4)) % 4;
        int padRight = (4 - scale % 4) % 4;
        String all = "0".repeat(padLeft) + digits + "0".repeat(padRight);
        List<Short> groups = new ArrayList<>();
        for (int i = 0; i < all.length(); i += 4) {
            groups.add(Short.parseShort(all.substring(i, i + 4)));
        }
        int weight = (intLen + padLeft) / 4 - 1;
        while (!groups.isEmpty() && groups.get(0) == 0) {
            groups.remove(0);
            weight--;
        }
        while (!groups.isEmpty() && groups.get(groups.size() - 1) == 0) {
            groups.remove(groups.size() - 1);
        }
        if (groups.isEmpty()) {
            weight = 0;
        }
        out.writeShort(groups.size());
        out.writeShort(weight);
        out.writeShort(negative ? 0x4000 : 0x0000);
        out.writeShort(scale);
        for (short g : groups) {
            out.writeShort(g);
        }
    }
}
