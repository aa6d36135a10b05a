package dev.pgprop.dsl.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Which values a large load may send by COPY: those whose COPY text the column's input reads to
 * what the INSERT literal stores (BulkKeyCheckTest compares the stored rows of both paths).
 */
class CopiesAsInsertedTest {
    @Test
    void aValueOfTheColumnsOwnTypeOrTextIsCopied() {
        assertThat(SqlLiterals.copiesAsInserted("x", "inet")).isTrue();
        assertThat(SqlLiterals.copiesAsInserted(null, "date")).isTrue();
        assertThat(SqlLiterals.copiesAsInserted(5, "numeric(10,2)")).isTrue();
        assertThat(SqlLiterals.copiesAsInserted(new BigDecimal("5E+2"), "integer")).isTrue();
        assertThat(SqlLiterals.copiesAsInserted(new BigDecimal("1.005"), "numeric(10,2)")).isTrue();
        assertThat(SqlLiterals.copiesAsInserted(2.5, "double precision")).isTrue();
        assertThat(SqlLiterals.copiesAsInserted(Instant.EPOCH, "timestamp(3) with time zone")).isTrue();
        assertThat(SqlLiterals.copiesAsInserted(LocalDateTime.MIN, "timestamp without time zone")).isTrue();
        assertThat(SqlLiterals.copiesAsInserted(new UUID(1, 2), "uuid")).isTrue();
        assertThat(SqlLiterals.copiesAsInserted(new int[] {1}, "integer[]")).isTrue();
        assertThat(SqlLiterals.copiesAsInserted(Map.of("a", 1), "jsonb")).isTrue();
        assertThat(SqlLiterals.copiesAsInserted(new float[] {1f}, "vector(3)")).isTrue();
    }

    @Test
    void aValueTheInsertWouldCastIsNot() {
        assertThat(SqlLiterals.copiesAsInserted(new BigDecimal("2.5"), "integer")).isFalse();
        assertThat(SqlLiterals.copiesAsInserted(2.0, "bigint")).isFalse();
        assertThat(SqlLiterals.copiesAsInserted(Instant.EPOCH, "date")).isFalse();
        assertThat(SqlLiterals.copiesAsInserted(Instant.EPOCH, "timestamp without time zone")).isFalse();
        assertThat(SqlLiterals.copiesAsInserted(LocalDate.EPOCH, "timestamp with time zone")).isFalse();
        assertThat(SqlLiterals.copiesAsInserted(true, "text")).isFalse();
        assertThat(SqlLiterals.copiesAsInserted(42, "character varying(12)")).isFalse();
        assertThat(SqlLiterals.copiesAsInserted(Map.of("a", 1), "json")).isFalse();
        assertThat(SqlLiterals.copiesAsInserted(new float[] {1f}, "halfvec(3)")).isFalse();
        assertThat(SqlLiterals.copiesAsInserted(List.of(1), "integer")).isFalse();
    }
}
