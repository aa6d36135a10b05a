package dev.pgprop.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a refused row's message advises. */
class DatasetLoadExceptionTest {
    private static DatasetLoadException refused(String message, String sqlState) {
        SQLException cause = new SQLException(message, sqlState);
        return new DatasetLoadException("items", 2, Row.of("id", 1), PgError.of(cause), cause, Map.of("dim", "1536", "other", "7"));
    }

    @Test
    void aVectorOfAnotherDimensionNamesBothDimensionsAndBothFixes() {
        assertThat(refused("ERROR: expected 1536 dimensions, not 8", "22000").getMessage())
                .startsWith("row 3 of items {id=1} was refused: ")
                .endsWith("Nothing of the dataset was loaded; the vector has 8 dimensions but the column has 1536 (the"
                        + " schema's dim). Draw vectors of the schema's dimension (1536), or migrate"
                        + " the schema for yours with -Dpgprop.placeholders.dim=8.");
    }

    @Test
    void withoutAPlaceholderOfTheColumnsDimensionTheAdviceNamesNone() {
        SQLException cause = new SQLException("ERROR: expected 3 dimensions, not 8", "22000");
        assertThat(new DatasetLoadException("items", 0, Row.of("id", 1), PgError.of(cause), cause).getMessage())
                .endsWith("the vector has 8 dimensions but the column has 3. Draw vectors of the schema's dimension (3),"
                        + " or migrate the schema for 8 dimensions.");
    }

    @Test
    void anyOtherRefusalAsksToFixTheGeneratorOrTheRow() {
        assertThat(refused("ERROR: new row violates check constraint", "23514").getMessage())
                .endsWith("Nothing of the dataset was loaded; fix the generator or the row.");
    }
}
