package dev.pgprop.dsl.perf;

import dev.pgprop.dsl.internal.CopyStream;
import dev.pgprop.dsl.PgError;
import dev.pgprop.dsl.Row;
import dev.pgprop.dsl.ScenarioException;

import com.pgvector.PGvector;
import dev.pgprop.dsl.internal.Json;
import dev.pgprop.dsl.internal.SqlLiterals;
import java.math.BigDecimal;
import java.math.BigInteger;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.UUID;
import org.apiguardian.api.API;

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
                case COPY_BINARY -> binary(c, "COPY " + target + " FROM STDIN (FORMAT binary)", rows, columns, types);
                case COPY_TEXT -> text(c, "COPY " + target + " FROM STDIN (FORMAT text)", rows, columns, types);
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
                bind(ps, r, columns, types);
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
                bind(ps, r, columns, types);
                n += ps.executeUpdate();
            }
        }
        return n;
    }

    /** Binds every value as its text form (the cast in the statement types it), so all paths parse alike. */
    private static void bind(PreparedStatement ps, Row r, List<String> columns, Map<String, String> types) throws SQLException {
        for (int i = 0; i < columns.size(); i++) {
            Object v = r.get(columns.get(i));
            ps.setString(i + 1, v == null ? null : SqlLiterals.inputText(v, types.get(columns.get(i))));
        }
    }

    /** A value as PostgreSQL's input syntax reads it (unquoted, unescaped). */
    static String textValue(Object v) {
        return SqlLiterals.inputText(v);
    }

    private static long text(Connection c, String sql, List<Row> rows, List<String> columns, Map<String, String> types)
            throws SQLException {
        int n = columns.size();
        String[] typeOf = new String[n];
        for (int i = 0; i < n; i++) {
            typeOf[i] = types.get(columns.get(i));
        }
        try (CopyStream out = CopyStream.open(c, sql)) {
            return out.textRows(rows, columns.toArray(new String[0]), (v, i) -> SqlLiterals.inputText(v, typeOf[i]));
        }
    }

    /** The binary encoder of one column type, writing a field (its length word included). */
    @FunctionalInterface
    private interface FieldWriter {
        void write(CopyStream out, Object v) throws SQLException;
    }

    private static long binary(Connection c, String sql, List<Row> rows, List<String> columns, Map<String, String> types)
            throws SQLException {
        int n = columns.size();
        FieldWriter[] writers = new FieldWriter[n];
        for (int i = 0; i < n; i++) {
            writers[i] = writer(types.get(columns.get(i)), columns.get(i));
        }
        try (CopyStream out = CopyStream.open(c, sql)) {
            out.binaryHeader();
            for (Row r : rows) {
                out.putShort(n);
                for (int i = 0; i < n; i++) {
                    Object v = r.get(columns.get(i));
                    if (v == null) {
                        out.putInt(-1);
                    } else {
                        writers[i].write(out, v);
                    }
                }
                out.rowDone();
            }
            out.putShort(-1);
            return out.finish();
        }
    }

    private static FieldWriter writer(String type, String column) {
        return switch (type) {
            case "bool" -> (out, v) -> {
                out.putInt(1);
                out.putByte((v instanceof Boolean b ? b : Boolean.parseBoolean(v.toString())) ? 1 : 0);
            };
            case "int2" -> (out, v) -> {
                out.putInt(2);
                out.putShort(((Number) v).shortValue());
            };
            case "int4" -> (out, v) -> {
                out.putInt(4);
                out.putInt(((Number) v).intValue());
            };
            case "int8" -> (out, v) -> {
                out.putInt(8);
                out.putLong(((Number) v).longValue());
            };
            case "float4" -> (out, v) -> {
                out.putInt(4);
                out.putFloat(((Number) v).floatValue());
            };
            case "float8" -> (out, v) -> {
                out.putInt(8);
                out.putDouble(((Number) v).doubleValue());
            };
            case "text", "varchar", "bpchar", "name" -> (out, v) -> out.putUtf8Field(v.toString(), -1);
            case "json" -> (out, v) -> out.putUtf8Field(textValue(v), -1);
            case "jsonb" -> (out, v) -> out.putUtf8Field(textValue(v), 1); // jsonb's binary format version
            case "bytea" -> (out, v) -> {
                byte[] b = (byte[]) v;
                out.putInt(b.length);
                out.putBytes(b, 0, b.length);
            };
            case "uuid" -> (out, v) -> {
                UUID u = v instanceof UUID x ? x : UUID.fromString(v.toString());
                out.putInt(16);
                out.putLong(u.getMostSignificantBits());
                out.putLong(u.getLeastSignificantBits());
            };
            case "date" -> (out, v) -> {
                out.putInt(4);
                out.putInt((int) ChronoUnit.DAYS.between(PG_EPOCH.toLocalDate(), (LocalDate) v));
            };
            case "timestamptz" -> (out, v) -> {
                out.putInt(8);
                out.putLong(ChronoUnit.MICROS.between(PG_EPOCH.toInstant(), instant(v)));
            };
            case "timestamp" -> (out, v) -> {
                out.putInt(8);
                out.putLong(ChronoUnit.MICROS.between(PG_EPOCH.toLocalDateTime(), (LocalDateTime) v));
            };
            case "numeric" -> (out, v) -> numeric(out, v instanceof BigDecimal d ? d : new BigDecimal(v.toString()));
            case "vector" -> (out, v) -> out.putVectorField(v instanceof float[] a ? a : ((PGvector) v).toArray());
            default -> throw new IllegalArgumentException("binary COPY of column " + column + " of type " + type
                    + " is not supported; load it with Path.COPY_TEXT or Path.BATCH");
        };
    }

    private static Instant instant(Object v) {
        return v instanceof Instant i ? i : v instanceof OffsetDateTime o ? o.toInstant() : Instant.parse(v.toString());
    }

    /** PostgreSQL's binary numeric (length word first): base-10000 digits, weight, sign, display scale. */
    private static void numeric(CopyStream out, BigDecimal d) throws SQLException {
        int scale = Math.max(0, d.scale());
        BigInteger unscaled = d.setScale(scale).unscaledValue();
        boolean negative = unscaled.signum() < 0;
        String digits = unscaled.abs().toString();
        // align the decimal point to a multiple of 4 digits on both sides
        int intLen = digits.length() - scale;
        int padLeft = (4 - Math.floorMod(intLen, 4)) % 4;
        int padRight = (4 - scale % 4) % 4;
        String all = "0".repeat(padLeft) + digits + "0".repeat(padRight);
        int count = all.length() / 4;
        short[] groups = new short[count];
        for (int i = 0; i < count; i++) {
            groups[i] = (short) Integer.parseInt(all, 4 * i, 4 * i + 4, 10);
        }
        int weight = (intLen + padLeft) / 4 - 1;
        int first = 0;
        int last = count;
        while (first < last && groups[first] == 0) {
            first++;
            weight--;
        }
        while (last > first && groups[last - 1] == 0) {
            last--;
        }
        if (first == last) {
            weight = 0;
        }
        out.putInt(8 + 2 * (last - first));
        out.putShort(last - first);
        out.putShort(weight);
        out.putShort(negative ? 0x4000 : 0x0000);
        out.putShort(scale);
        for (int i = first; i < last; i++) {
            out.putShort(groups[i]);
        }
    }
}
