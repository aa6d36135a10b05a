package dev.pgprop.dsl.internal.report;

import dev.pgprop.dsl.internal.JsonReader;
import dev.pgprop.dsl.Dataset;
import dev.pgprop.dsl.Row;
import dev.pgprop.dsl.internal.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.jspecify.annotations.Nullable;

/**
 * Property samples as typed JSON, for replay files: datasets, rows, primitives and their boxes,
 * strings, UUIDs, times, vectors, collections, enums and records (by their components). The
 * format builds no class it is not asked for: no Java serialization, and an enum or record only
 * where the property's declared type admits it.
 */
public final class SampleCodec {
    private SampleCodec() {}

    /** Thrown for a value that cannot be stored. */
    public static final class Unsupported extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unsupported(String message) {
            super(message);
        }
    }

    public static String toJson(List<@Nullable Object> parameters) {
        List<@Nullable Object> enc = new ArrayList<>();
        for (Object p : parameters) {
            enc.add(encode(p));
        }
        return Json.write(enc);
    }

    /** Parameters read back, each as the type the property declares for it. */
    public static List<@Nullable Object> fromJson(String json, List<Type> types) {
        Object parsed = JsonReader.parse(json);
        if (!(parsed instanceof List<?> list) || list.size() != types.size()) {
            throw new IllegalArgumentException("a replay sample is a JSON array of " + types.size() + " parameters");
        }
        List<@Nullable Object> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            out.add(decode(list.get(i), types.get(i)));
        }
        return out;
    }

    /** gzip + base64url, for a sample carried inside a command line. */
    public static String compress(String json) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(json.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.toByteArray());
    }

    public static String decompress(String text) {
        try (GZIPInputStream gz = new GZIPInputStream(new ByteArrayInputStream(Base64.getUrlDecoder().decode(text)))) {
            return new String(gz.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the inline replay sample is damaged (" + e.getMessage()
                    + "); copy the whole command, or use the .json file it names", e);
        }
    }

    private static Map<String, @Nullable Object> tagged(String tag, @Nullable Object value) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        m.put(tag, value);
        return m;
    }

    static @Nullable Object encode(@Nullable Object v) {
        if (v == null || v instanceof String || v instanceof Boolean) {
            return v;
        }
        if (v instanceof Integer i) {
            return tagged("int", i);
        }
        if (v instanceof Long l) {
            return tagged("long", l.toString());
        }
        if (v instanceof Short s) {
            return tagged("short", (int) s);
        }
        if (v instanceof Byte b) {
            return tagged("byte", (int) b);
        }
        if (v instanceof Double d) {
            return tagged("double", d.toString());
        }
        if (v instanceof Float f) {
            return tagged("float", f.toString());
        }
        if (v instanceof Character c) {
            return tagged("char", c.toString());
        }
        if (v instanceof BigInteger b) {
            return tagged("bigint", b.toString());
        }
        if (v instanceof BigDecimal b) {
            return tagged("decimal", b.toString());
        }
        if (v instanceof UUID u) {
            return tagged("uuid", u.toString());
        }
        if (v instanceof Instant t) {
            return tagged("instant", t.toString());
        }
        if (v instanceof OffsetDateTime t) {
            return tagged("odt", t.toString());
        }
        if (v instanceof LocalDateTime t) {
            return tagged("ldt", t.toString());
        }
        if (v instanceof LocalDate t) {
            return tagged("ld", t.toString());
        }
        if (v instanceof float[] f) {
            List<String> l = new ArrayList<>();
            for (float x : f) {
                l.add(Float.toString(x));
            }
            return tagged("floats", l);
        }
        if (v instanceof byte[] b) {
            return tagged("bytes", HexFormat.of().formatHex(b));
        }
        if (v instanceof Dataset d) {
            List<@Nullable Object> tables = new ArrayList<>();
            for (String t : d.tables()) {
                List<@Nullable Object> rows = new ArrayList<>();
                d.rows(t).forEach(r -> rows.add(encode(r)));
                Map<String, @Nullable Object> table = new LinkedHashMap<>();
                table.put("table", t);
                table.put("rows", rows);
                tables.add(table);
            }
            return tagged("dataset", tables);
        }
        if (v instanceof Row r) {
            List<@Nullable Object> cols = new ArrayList<>();
            r.values().forEach((k, val) -> cols.add(List.of(k, Optional.ofNullable(encode(val)).map(Object.class::cast)
                    .orElse(Map.of("null", true)))));
            return tagged("row", cols);
        }
        if (v instanceof Optional<?> o) {
            return tagged("optional", o.map(SampleCodec::encode).orElse(null));
        }
        if (v instanceof Set<?> s) {
            List<@Nullable Object> l = new ArrayList<>();
            s.forEach(x -> l.add(encode(x)));
            return tagged("set", l);
        }
        if (v instanceof List<?> s) {
            List<@Nullable Object> l = new ArrayList<>();
            s.forEach(x -> l.add(encode(x)));
            return tagged("list", l);
        }
        if (v instanceof Map<?, ?> m) {
            List<@Nullable Object> l = new ArrayList<>();
            m.forEach((k, x) -> {
                List<@Nullable Object> pair = new ArrayList<>();
                pair.add(encode(k));
                pair.add(encode(x));
                l.add(pair);
            });
            return tagged("map", l);
        }
        if (v instanceof Enum<?> e) {
            Map<String, @Nullable Object> m = tagged("enum", e.getDeclaringClass().getName());
            m.put("name", e.name());
            return m;
        }
        if (v.getClass().isRecord()) {
            Map<String, @Nullable Object> fields = new LinkedHashMap<>();
            for (RecordComponent c : v.getClass().getRecordComponents()) {
                try {
                    c.getAccessor().setAccessible(true);
                    fields.put(c.getName(), encode(c.getAccessor().invoke(v)));
                } catch (ReflectiveOperationException e) {
                    throw new Unsupported("cannot read record component " + c.getName() + " of " + v.getClass().getName());
                }
            }
            Map<String, @Nullable Object> m = tagged("record", v.getClass().getName());
            m.put("fields", fields);
            return m;
        }
        throw new Unsupported("a " + v.getClass().getName() + " cannot be stored in a replay file (replay files hold"
                + " datasets, rows, numbers, strings, UUIDs, java.time values, vectors, collections, enums and records)");
    }

    /**
     * A value of the replay input as {@code expected} (the declared type where it is known,
     * {@code Object} where not). Nothing is deserialised: only the value kinds above are built,
     * and an enum or record only when the class it names is an enum or record that the declared
     * type admits.
     */
    @SuppressWarnings("unchecked")
    static @Nullable Object decode(@Nullable Object o, Type expected) {
        if (o == null || o instanceof String || o instanceof Boolean) {
            return o;
        }
        if (!(o instanceof Map<?, ?> raw) || raw.isEmpty()) {
            throw new IllegalArgumentException("unexpected value in a replay sample: " + o);
        }
        Map<String, Object> m = (Map<String, Object>) raw;
        String tag = m.keySet().iterator().next();
        Object v = m.get(tag);
        switch (tag) {
            case "null": return null;
            case "int": return ((BigDecimal) v).intValueExact();
            case "long": return Long.parseLong((String) v);
            case "short": return ((BigDecimal) v).shortValueExact();
            case "byte": return ((BigDecimal) v).byteValueExact();
            case "double": return Double.parseDouble((String) v);
            case "float": return Float.parseFloat((String) v);
            case "char": return ((String) v).charAt(0);
            case "bigint": return new BigInteger((String) v);
            case "decimal": return new BigDecimal((String) v);
            case "uuid": return UUID.fromString((String) v);
            case "instant": return Instant.parse((String) v);
            case "odt": return OffsetDateTime.parse((String) v);
            case "ldt": return LocalDateTime.parse((String) v);
            case "ld": return LocalDate.parse((String) v);
            case "floats": {
                List<String> l = (List<String>) v;
                float[] f = new float[l.size()];
                for (int i = 0; i < f.length; i++) {
                    f[i] = Float.parseFloat(l.get(i));
                }
                return f;
            }
            case "bytes": return HexFormat.of().parseHex((String) v);
            case "dataset": {
                Dataset d = Dataset.empty();
                for (Object t : (List<Object>) v) {
                    Map<String, Object> table = (Map<String, Object>) t;
                    List<Row> rows = new ArrayList<>();
                    for (Object r : (List<Object>) table.get("rows")) {
                        rows.add((Row) decode(r, Row.class));
                    }
                    d = d.with((String) table.get("table"), rows);
                }
                return d;
            }
            case "row": {
                Map<String, @Nullable Object> cols = new LinkedHashMap<>();
                for (Object pair : (List<Object>) v) {
                    List<Object> p = (List<Object>) pair;
                    cols.put((String) p.get(0), decode(p.get(1), Object.class));
                }
                return Row.of(cols);
            }
            case "optional": return Optional.ofNullable(decode(v, typeArgument(expected, 0)));
            case "set": {
                Set<@Nullable Object> s = new LinkedHashSet<>();
                ((List<Object>) v).forEach(x -> s.add(decode(x, typeArgument(expected, 0))));
                return s;
            }
            case "list": {
                List<@Nullable Object> l = new ArrayList<>();
                ((List<Object>) v).forEach(x -> l.add(decode(x, typeArgument(expected, 0))));
                return l;
            }
            case "map": {
                Map<@Nullable Object, @Nullable Object> mm = new LinkedHashMap<>();
                for (Object pair : (List<Object>) v) {
                    List<Object> p = (List<Object>) pair;
                    mm.put(decode(p.get(0), typeArgument(expected, 0)), decode(p.get(1), typeArgument(expected, 1)));
                }
                return mm;
            }
            case "enum": return enumValue((String) v, (String) m.get("name"), expected);
            case "record": return record((String) v, (Map<String, Object>) m.get("fields"), expected);
            case "java": throw new IllegalArgumentException("the replay input holds a Java-serialised value, which pgprop"
                    + " no longer reads (it could build any class on the classpath); rerun the property with its seed");
            default: throw new IllegalArgumentException("unknown value tag '" + tag + "' in a replay sample");
        }
    }

    private static Class<?> load(String name) {
        try {
            ClassLoader cl = Thread.currentThread().getContextClassLoader();
            return Class.forName(name, false, cl == null ? SampleCodec.class.getClassLoader() : cl);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("the replay sample names class " + name + ", which is not on the classpath;"
                    + " replay it in the module the property lives in", e);
        }
    }

    private static Class<?> raw(Type t) {
        if (t instanceof Class<?> c) {
            return c;
        }
        if (t instanceof ParameterizedType p) {
            return raw(p.getRawType());
        }
        if (t instanceof WildcardType w && w.getUpperBounds().length > 0) {
            return raw(w.getUpperBounds()[0]);
        }
        return Object.class;
    }

    private static Type typeArgument(Type t, int i) {
        if (t instanceof ParameterizedType p && p.getActualTypeArguments().length > i) {
            return p.getActualTypeArguments()[i];
        }
        return Object.class;
    }

    /** The class a replay names, only when the declared type admits it and it is of the wanted kind. */
    private static Class<?> admitted(String name, Type expected, String kind) {
        Class<?> want = raw(expected);
        Class<?> c = load(name);
        boolean kindOk = kind.equals("enum") ? c.isEnum() : c.isRecord();
        boolean typeOk = kind.equals("enum") ? want.isAssignableFrom(c) : want != Object.class && want.isAssignableFrom(c);
        if (!kindOk || !typeOk) {
            throw new IllegalArgumentException("the replay input names " + kind + " " + name + " where the property takes "
                    + expected.getTypeName() + "; the input is stale (the property changed) or was not written by pgprop");
        }
        return c;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object enumValue(String type, String name, Type expected) {
        return Enum.valueOf((Class) admitted(type, expected, "enum"), name);
    }

    private static Object record(String type, Map<String, Object> fields, Type expected) {
        Class<?> c = admitted(type, expected, "record");
        RecordComponent[] comps = c.getRecordComponents();
        Class<?>[] types = new Class<?>[comps.length];
        Object[] args = new Object[comps.length];
        for (int i = 0; i < comps.length; i++) {
            types[i] = comps[i].getType();
            if (!fields.containsKey(comps[i].getName())) {
                throw new IllegalArgumentException("the replay input has no component " + comps[i].getName() + " of record "
                        + type + "; the input is stale (the record changed)");
            }
            args[i] = decode(fields.get(comps[i].getName()), comps[i].getGenericType());
        }
        try {
            Constructor<?> ctor = c.getDeclaredConstructor(types);
            ctor.setAccessible(true);
            return ctor.newInstance(args);
        } catch (ReflectiveOperationException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot rebuild record " + type + " from the replay input: " + e, e);
        }
    }
}
