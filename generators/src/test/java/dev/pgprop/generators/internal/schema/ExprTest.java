package dev.pgprop.generators.internal.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgprop.dsl.schema.PgType;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** CHECK expressions as pg_get_expr prints them: parsed into shapes and evaluated as PostgreSQL would. */
class ExprTest {
    private static final PgType DATE = PgType.base("date", "date");
    private static final PgType INT = PgType.base("int4", "integer");
    private static final PgType TEXT = PgType.base("text", "text");

    private static Map<String, Object> row(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void nullOrAComparisonOfTwoColumns() {
        Expr e = Expr.parse("((closed IS NULL) OR (closed > opened))").orElseThrow();
        assertThat(e).isInstanceOf(Expr.Or.class);
        assertThat(Eval.holds(e, row("closed", null, "opened", LocalDate.of(2020, 1, 1)), c -> DATE)).isTrue();
        assertThat(Eval.holds(e, row("closed", LocalDate.of(2019, 1, 1), "opened", LocalDate.of(2020, 1, 1)), c -> DATE)).isFalse();
        assertThat(Eval.holds(e, row("closed", "infinity", "opened", LocalDate.of(2020, 1, 1)), c -> DATE)).isTrue();
    }

    @Test
    void castsInListsRegexesAndLengths() {
        Expr in = Expr.parse("((status)::text = ANY ((ARRAY['pending'::character varying, 'booked'::character varying])::text[]))").orElseThrow();
        assertThat(in).isInstanceOf(Expr.In.class);
        assertThat(Eval.holds(in, row("status", "booked"), c -> TEXT)).isTrue();
        assertThat(Eval.holds(in, row("status", "other"), c -> TEXT)).isFalse();
        Expr re = Expr.parse("((VALUE)::text ~ '^[0-9]{5}$'::text)").orElseThrow();
        assertThat(re).isInstanceOf(Expr.Regex.class);
        assertThat(Eval.holds(re, row("VALUE", "12345"), c -> TEXT)).isTrue();
        assertThat(Eval.holds(re, row("VALUE", "1234a"), c -> TEXT)).isFalse();
        Expr len = Expr.parse("((length(city) >= 1) AND (length(city) <= 50))").orElseThrow();
        assertThat(Eval.holds(len, row("city", ""), c -> TEXT)).isFalse();
        Expr between = Expr.parse("((salary >= 1000) AND (salary <= 100000))").orElseThrow();
        assertThat(Eval.holds(between, row("salary", 999), c -> INT)).isFalse();
        assertThat(Eval.holds(between, row("salary", 1000), c -> INT)).isTrue();
        assertThat(Expr.parse("(btrim(memo) <> ''::text)")).isEmpty();
        assertThat(Expr.parse("(NOT isempty(during))")).isEmpty();
        Expr date = Expr.parse("(opened >= '2000-01-01'::date)").orElseThrow();
        assertThat(Eval.holds(date, row("opened", LocalDate.of(1999, 12, 31)), c -> DATE)).isFalse();
    }

    @Test
    void aColumnNamedLikeAFunctionIsAColumn() {
        // film.length: parsed here, not sent to the server once per row
        Expr e = Expr.parse("(length > 0)").orElseThrow();
        assertThat(Eval.holds(e, row("length", 0), c -> INT)).isFalse();
        assertThat(Eval.holds(e, row("length", 90), c -> INT)).isTrue();
        Expr both = Expr.parse("((length(title) > 0) AND (length < 500))").orElseThrow();
        assertThat(Eval.holds(both, row("title", "x", "length", 499), c -> c.equals("title") ? TEXT : INT)).isTrue();
        assertThat(Eval.holds(both, row("title", "", "length", 1), c -> c.equals("title") ? TEXT : INT)).isFalse();
    }
}
