package dev.pgprop.dsl.internal.schema;

import dev.pgprop.dsl.PgPropException;
import dev.pgprop.dsl.schema.Column;
import dev.pgprop.dsl.schema.Constraint;
import dev.pgprop.dsl.schema.Grant;
import dev.pgprop.dsl.schema.Partition;
import dev.pgprop.dsl.schema.PgType;
import dev.pgprop.dsl.schema.Policy;
import dev.pgprop.dsl.schema.Schema;
import dev.pgprop.dsl.schema.Table;
import dev.pgprop.dsl.schema.Trigger;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Reads the catalog into a {@link Schema}: one query per catalog table, types resolved on demand. */
public final class CatalogReader {
    private static final String USER_SCHEMA = "n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast',"
            + " 'pgprop_snapshot') AND n.nspname NOT LIKE 'pg\\_temp%' AND n.nspname NOT LIKE 'pg\\_toast%'";

    private final Connection c;
    private final Map<String, PgType> types = new HashMap<>();

    private CatalogReader(Connection c) {
        this.c = c;
    }

    public static Schema read(Connection c, List<String> schemaNames) {
        try {
            return new CatalogReader(c).schema(schemaNames);
        } catch (SQLException e) {
            throw new PgPropException("cannot read the catalog: " + e.getMessage(), e);
        }
    }

    private record RawTable(long oid, String schema, String name, @Nullable String partitionKey, boolean rls,
                            boolean forceRls) {}

    private Schema schema(List<String> schemaNames) throws SQLException {
        Map<Long, RawTable> raw = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT c.oid, n.nspname, c.relname,"
                + " CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END, c.relrowsecurity, c.relforcerowsecurity"
                + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND " + USER_SCHEMA
                + " AND NOT (c.relname = 'flyway_schema_history')"
                + " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')"
                + " ORDER BY n.nspname, c.relname");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                raw.put(rs.getLong(1), new RawTable(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getBoolean(5), rs.getBoolean(6)));
            }
        }
        Map<Long, List<Column>> columns = columns();
        Map<Long, List<Constraint>> constraints = constraints();
        Map<Long, List<Policy>> policies = policies();
        Map<Long, List<Trigger>> triggers = triggers();
        Map<Long, List<Grant>> grants = grants();
        List<Table> all = new ArrayList<>();
        for (RawTable t : raw.values()) {
            all.add(new Table(t.schema(), t.name(), columns.getOrDefault(t.oid(), List.of()),
                    constraints.getOrDefault(t.oid(), List.of()), Optional.ofNullable(t.partitionKey()),
                    t.partitionKey() == null ? List.of() : partitions(t.oid()), t.rls(), t.forceRls(),
                    policies.getOrDefault(t.oid(), List.of()), triggers.getOrDefault(t.oid(), List.of()),
                    grants.getOrDefault(t.oid(), List.of())));
        }
        Schema everything = new Schema(schemaNames, all);
        if (schemaNames.isEmpty()) {
            return everything;
        }
        for (String n : schemaNames) {
            if (all.stream().noneMatch(t -> t.schema().equals(n)) && !schemaExists(n)) {
                throw new PgPropException("schema '" + n + "' does not exist; the database has schemas "
                        + all.stream().map(Table::schema).distinct().toList());
            }
        }
        List<Table> named = all.stream().filter(t -> schemaNames.contains(t.schema())).toList();
        return new Schema(schemaNames, everything.withReferenced(named));
    }

    private boolean schemaExists(String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    private Map<Long, List<Column>> columns() throws SQLException {
        Map<Long, List<Column>> out = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT a.attrelid, a.attname, a.attnum, a.atttypid, a.atttypmod,"
                + " a.attnotnull, pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated"
                + " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
                + " WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND " + USER_SCHEMA
                + " ORDER BY a.attrelid, a.attnum");
             ResultSet rs = s.executeQuery()) {
            List<Object[]> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(new Object[] {rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getLong(4), rs.getInt(5),
                        rs.getBoolean(6), rs.getString(7), rs.getString(8), rs.getString(9)});
            }
            for (Object[] r : rows) {
                String expr = (String) r[6];
                boolean generated = "s".equals(r[8]);
                String identity = (String) r[7];
                out.computeIfAbsent((Long) r[0], k -> new ArrayList<>()).add(new Column((String) r[1], (Integer) r[2],
                        type((Long) r[3], (Integer) r[4]), (Boolean) r[5],
                        generated ? Optional.empty() : Optional.ofNullable(expr),
                        "a".equals(identity) ? Column.Identity.ALWAYS : "d".equals(identity) ? Column.Identity.BY_DEFAULT
                                : Column.Identity.NONE,
                        generated ? Optional.ofNullable(expr) : Optional.empty()));
            }
        }
        return out;
    }

    private Map<Long, List<Constraint>> constraints() throws SQLException {
        Map<Long, List<Constraint>> out = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT con.conrelid, con.conname, con.contype,"
                + " pg_get_constraintdef(con.oid),"
                + " array(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(n, i)"
                + "   JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.i),"
                + " fn.nspname, fc.relname,"
                + " array(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(n, i)"
                + "   JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.i),"
                + " con.confupdtype, con.confdeltype, con.confmatchtype, con.condeferrable, con.condeferred,"
                + " con.convalidated, con.connoinherit, CASE WHEN con.contype = 'c' THEN pg_get_expr(con.conbin, con.conrelid) END,"
                + " coalesce((SELECT (to_jsonb(i) ->> 'indnullsnotdistinct')::boolean FROM pg_index i"
                + "   WHERE i.indexrelid = con.conindid), false),"
                + " array(SELECT o.oprname FROM unnest(con.conexclop) WITH ORDINALITY k(op, i)"
                + "   JOIN pg_operator o ON o.oid = k.op ORDER BY k.i),"
                + " (SELECT pg_get_expr(i.indpred, i.indrelid) FROM pg_index i WHERE i.indexrelid = con.conindid)"
                + " FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " LEFT JOIN pg_class fc ON fc.oid = con.confrelid LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace"
                + " WHERE con.contype IN ('p', 'u', 'f', 'c', 'x') AND con.conparentid = 0 AND " + USER_SCHEMA
                + " ORDER BY con.conrelid, con.contype, con.conname");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                String name = rs.getString(2);
                String def = rs.getString(4);
                List<String> cols = strings(rs.getArray(5));
                Constraint con = switch (rs.getString(3)) {
                    case "p" -> new Constraint.PrimaryKey(name, cols, def);
                    case "u" -> new Constraint.Unique(name, cols, def, rs.getBoolean(17), Optional.empty(), false, false);
                    case "f" -> new Constraint.ForeignKey(name, cols, def, rs.getString(6), rs.getString(7),
                            strings(rs.getArray(8)), Constraint.Action.fromCode(rs.getString(9)),
                            Constraint.Action.fromCode(rs.getString(10)), "f".equals(rs.getString(11)), rs.getBoolean(12),
                            rs.getBoolean(13), rs.getBoolean(14));
                    case "c" -> new Constraint.Check(name, cols, def, rs.getString(16), rs.getBoolean(14), rs.getBoolean(15));
                    default -> new Constraint.Exclusion(name, cols, def, strings(rs.getArray(18)),
                            Optional.ofNullable(rs.getString(19)));
                };
                out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(con);
            }
        }
        try (PreparedStatement s = c.prepareStatement("SELECT i.indrelid, ic.relname, pg_get_indexdef(i.indexrelid),"
                + " array(SELECT a.attname FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(n, o)"
                + "   JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n ORDER BY k.o),"
                + " 0 = ANY (i.indkey::int2[]), pg_get_expr(i.indpred, i.indrelid),"
                + " coalesce((to_jsonb(i) ->> 'indnullsnotdistinct')::boolean, false)"
                + " FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class c ON c.oid = i.indrelid"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE i.indisunique AND NOT c.relispartition AND " + USER_SCHEMA
                + " AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid"
                + "   AND con.contype IN ('p', 'u', 'x'))"
                + " ORDER BY i.indrelid, ic.relname");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new Constraint.Unique(rs.getString(2),
                        strings(rs.getArray(4)), rs.getString(3), rs.getBoolean(7), Optional.ofNullable(rs.getString(6)),
                        rs.getBoolean(5), true));
            }
        }
        return out;
    }

    private List<Partition> partitions(long parent) throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT c.oid, n.nspname, c.relname, pg_get_expr(c.relpartbound, c.oid),"
                + " CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END"
                + " FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE i.inhparent = ? AND c.relispartition ORDER BY n.nspname, c.relname")) {
            s.setLong(1, parent);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Object[] {rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)});
                }
            }
        }
        List<Partition> out = new ArrayList<>();
        for (Object[] r : rows) {
            String key = (String) r[4];
            out.add(new Partition((String) r[1], (String) r[2], (String) r[3], Optional.ofNullable(key),
                    key == null ? List.of() : partitions((Long) r[0])));
        }
        return out;
    }

    private Map<Long, List<Policy>> policies() throws SQLException {
        Map<Long, List<Policy>> out = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT p.polrelid, p.polname,"
                + " CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE'"
                + "   WHEN 'd' THEN 'DELETE' ELSE 'ALL' END, p.polpermissive,"
                + " array(SELECT CASE WHEN r = 0 THEN 'public' ELSE (SELECT rolname FROM pg_roles WHERE oid = r)::text END"
                + "   FROM unnest(p.polroles) r),"
                + " pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid)"
                + " FROM pg_policy p ORDER BY p.polrelid, p.polname");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new Policy(rs.getString(2), rs.getString(3),
                        rs.getBoolean(4), strings(rs.getArray(5)), Optional.ofNullable(rs.getString(6)),
                        Optional.ofNullable(rs.getString(7))));
            }
        }
        return out;
    }

    /** Table and column privileges of every role but the owner, {@code public} for PUBLIC. */
    private Map<Long, List<Grant>> grants() throws SQLException {
        Map<Long, List<Grant>> out = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT c.oid, coalesce(r.rolname, 'public'), a.privilege_type, NULL::text,"
                + " a.is_grantable FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " CROSS JOIN LATERAL aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) a"
                + " LEFT JOIN pg_roles r ON r.oid = a.grantee"
                + " WHERE c.relkind IN ('r', 'p') AND a.grantee <> c.relowner AND " + USER_SCHEMA
                + " UNION ALL SELECT c.oid, coalesce(r.rolname, 'public'), a.privilege_type, att.attname, a.is_grantable"
                + " FROM pg_attribute att JOIN pg_class c ON c.oid = att.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " CROSS JOIN LATERAL aclexplode(att.attacl) a LEFT JOIN pg_roles r ON r.oid = a.grantee"
                + " WHERE att.attacl IS NOT NULL AND att.attnum > 0 AND NOT att.attisdropped AND c.relkind IN ('r', 'p')"
                + " AND a.grantee <> c.relowner AND " + USER_SCHEMA + " ORDER BY 1, 2, 3, 4 NULLS FIRST");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new Grant(rs.getString(2), rs.getString(3),
                        Optional.ofNullable(rs.getString(4)), rs.getBoolean(5)));
            }
        }
        return out;
    }

    private Map<Long, List<Trigger>> triggers() throws SQLException {
        Map<Long, List<Trigger>> out = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT t.tgrelid, t.tgname, p.proname, pg_get_triggerdef(t.oid),"
                + " t.tgenabled::text FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid"
                + " WHERE NOT t.tgisinternal ORDER BY t.tgrelid, t.tgname");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new Trigger(rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5)));
            }
        }
        return out;
    }

    /** The type of this oid with this modifier, resolved through arrays, domains, ranges, composites. */
    private PgType type(long oid, int typmod) throws SQLException {
        String key = oid + "/" + typmod;
        PgType known = types.get(key);
        if (known != null) {
            return known;
        }
        String nsp;
        String name;
        String kind;
        String category;
        long elem;
        long baseType;
        int baseTypmod;
        boolean notNull;
        long relid;
        String formatted;
        try (PreparedStatement s = c.prepareStatement("SELECT n.nspname, t.typname, t.typtype, t.typcategory, t.typelem,"
                + " t.typbasetype, t.typtypmod, t.typnotnull, t.typrelid, format_type(t.oid, ?), t.typlen"
                + " FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.oid = ?")) {
            s.setInt(1, typmod);
            s.setLong(2, oid);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new PgPropException("type oid " + oid + " is not in pg_type");
                }
                nsp = rs.getString(1);
                name = rs.getString(2);
                kind = rs.getString(3);
                category = rs.getString(4);
                elem = rs.getLong(5) != 0 && rs.getInt(11) == -1 ? rs.getLong(5) : 0;
                baseType = rs.getLong(6);
                baseTypmod = rs.getInt(7);
                notNull = rs.getBoolean(8);
                relid = rs.getLong(9);
                formatted = rs.getString(10);
            }
        }
        PgType t;
        if (kind.equals("b") && category.equals("A") && elem != 0) {
            PgType e = type(elem, typmod);
            t = new PgType(nsp, name, formatted, PgType.Kind.ARRAY, -1, -1, -1, -1, Optional.of(e), List.of(), List.of(),
                    false, List.of());
        } else if (kind.equals("d")) {
            t = new PgType(nsp, name, formatted, PgType.Kind.DOMAIN, -1, -1, -1, -1, Optional.of(type(baseType, baseTypmod)),
                    List.of(), List.of(), notNull, domainChecks(oid));
        } else if (kind.equals("e")) {
            t = new PgType(nsp, name, formatted, PgType.Kind.ENUM, -1, -1, -1, -1, Optional.empty(), enumLabels(oid),
                    List.of(), false, List.of());
        } else if (kind.equals("c")) {
            t = new PgType(nsp, name, formatted, PgType.Kind.COMPOSITE, -1, -1, -1, -1, Optional.empty(), List.of(),
                    attributes(relid), false, List.of());
        } else if (kind.equals("r")) {
            t = new PgType(nsp, name, formatted, PgType.Kind.RANGE, -1, -1, -1, -1, Optional.of(type(rangeSubtype(oid), -1)),
                    List.of(), List.of(), false, List.of());
        } else if (kind.equals("b") && (name.equals("vector") || name.equals("halfvec") || name.equals("sparsevec"))) {
            t = new PgType(nsp, name, formatted, PgType.Kind.VECTOR, -1, -1, -1, typmod > 0 ? typmod : -1, Optional.empty(),
                    List.of(), List.of(), false, List.of());
        } else if (kind.equals("b")) {
            int length = -1;
            int precision = -1;
            int scale = -1;
            switch (name) {
                case "varchar", "bpchar" -> length = typmod >= 4 ? typmod - 4 : name.equals("bpchar") && typmod < 0 ? -1 : -1;
                case "bit", "varbit" -> length = typmod > 0 ? typmod : -1;
                case "numeric" -> {
                    if (typmod >= 4) {
                        precision = ((typmod - 4) >> 16) & 0xffff;
                        scale = (((typmod - 4) & 0x7ff) ^ 1024) - 1024;
                    }
                }
                case "time", "timetz", "timestamp", "timestamptz" -> precision = typmod >= 0 ? typmod : -1;
                case "interval" -> precision = typmod >= 0 && (typmod & 0xffff) != 0xffff ? typmod & 0xffff : -1;
                default -> { }
            }
            t = new PgType(nsp, name, formatted, PgType.Kind.BASE, length, precision, scale, -1, Optional.empty(), List.of(),
                    List.of(), false, List.of());
        } else {
            t = new PgType(nsp, name, formatted, PgType.Kind.OTHER, -1, -1, -1, -1, Optional.empty(), List.of(), List.of(),
                    false, List.of());
        }
        types.put(key, t);
        return t;
    }

    private List<Constraint.Check> domainChecks(long domain) throws SQLException {
        List<Constraint.Check> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT conname, pg_get_constraintdef(oid), pg_get_expr(conbin, 0),"
                + " convalidated FROM pg_constraint WHERE contypid = ? AND contype = 'c' ORDER BY conname")) {
            s.setLong(1, domain);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new Constraint.Check(rs.getString(1), List.of(), rs.getString(2), rs.getString(3),
                            rs.getBoolean(4), false));
                }
            }
        }
        return out;
    }

    private List<String> enumLabels(long oid) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT enumlabel FROM pg_enum WHERE enumtypid = ? ORDER BY enumsortorder")) {
            s.setLong(1, oid);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private List<PgType.Attribute> attributes(long relid) throws SQLException {
        List<long[]> raw = new ArrayList<>();
        List<String> names = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT attname, atttypid, atttypmod FROM pg_attribute"
                + " WHERE attrelid = ? AND attnum > 0 AND NOT attisdropped ORDER BY attnum")) {
            s.setLong(1, relid);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                    raw.add(new long[] {rs.getLong(2), rs.getInt(3)});
                }
            }
        }
        List<PgType.Attribute> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            out.add(new PgType.Attribute(names.get(i), type(raw.get(i)[0], (int) raw.get(i)[1])));
        }
        return out;
    }

    private long rangeSubtype(long oid) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT rngsubtype FROM pg_range WHERE rngtypid = ?")) {
            s.setLong(1, oid);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static List<String> strings(@Nullable Array a) throws SQLException {
        return a == null ? List.of() : List.copyOf(Arrays.asList((String[]) a.getArray()));
    }
}
