package dev.pgprop.migrations;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Plain JDBC helpers for the tests. */
final class Jdbc {
    private Jdbc() {}

    /** Every row of the query, each as its column values in order. */
    static List<List<@Nullable Object>> rows(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
            int n = rs.getMetaData().getColumnCount();
            List<List<@Nullable Object>> rows = new ArrayList<>();
            while (rs.next()) {
                List<@Nullable Object> row = new ArrayList<>(n);
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    /** The first column of every row. */
    static List<@Nullable Object> column(Connection c, String sql, Object... params) throws SQLException {
        List<@Nullable Object> values = new ArrayList<>();
        for (List<@Nullable Object> row : rows(c, sql, params)) {
            values.add(row.get(0));
        }
        return values;
    }

    /** The single value of a query that returns exactly one row. */
    static @Nullable Object value(Connection c, String sql, Object... params) throws SQLException {
        List<List<@Nullable Object>> rows = rows(c, sql, params);
        if (rows.size() != 1) {
            throw new AssertionError("expected one row from " + sql + " but got " + rows.size());
        }
        return rows.get(0).get(0);
    }

    /** A list that may hold nulls, for comparing with {@link #rows}. */
    static List<@Nullable Object> nullableList(@Nullable Object... values) {
        return Arrays.asList(values);
    }

    static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, params)) {
            return ps.executeUpdate();
        }
    }

    /** Runs a statement that may return rows (such as {@code select set_config(...)}), ignoring them. */
    static void execute(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, params)) {
            ps.execute();
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        try {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return ps;
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }
}
