package dev.pgprop.dsl.internal;

import com.pgvector.PGvector;
import dev.pgprop.dsl.Row;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.postgresql.util.PGobject;

/** ResultSet rows as {@link Row}s with plain Java values. */
public final class Rows {
    private Rows() {}

    public static Row row(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            String name = md.getColumnLabel(i);
            String unique = name;
            for (int n = 2; m.containsKey(unique); n++) {
                unique = name + "_" + n;
            }
            m.put(unique, value(rs, i, md.getColumnTypeName(i)));
        }
        return Row.of(m);
    }

    public static List<Row> all(ResultSet rs) throws SQLException {
        List<Row> out = new ArrayList<>();
        while (rs.next()) {
            out.add(row(rs));
        }
        return out;
    }

    private static @Nullable Object value(ResultSet rs, int i, String type) throws SQLException {
        switch (type) {
            case "timestamptz":
                return rs.getObject(i, OffsetDateTime.class);
            case "vector": {
                String s = rs.getString(i);
                return s == null ? null : new PGvector(s).toArray();
            }
            case "json":
            case "jsonb":
                return rs.getString(i);
            default:
                Object o = rs.getObject(i);
                return o instanceof PGobject p ? p.getValue() : o;
        }
    }
}
