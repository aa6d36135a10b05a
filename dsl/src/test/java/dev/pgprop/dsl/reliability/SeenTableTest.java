package dev.pgprop.dsl.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's table of what a user sees when something is wrong quotes, for each row, the first
 * line that the test producing it asserts ({@link Seen}); a message changed in one place and not
 * the other fails here.
 */
class SeenTableTest {
    @Test
    void everyFirstLineTheTestsAssertIsTheOneTheTableShows() throws Exception {
        String readme = Files.readString(Path.of(System.getProperty("user.dir")).resolve("../README.md").normalize());
        int start = readme.indexOf("### What you see when something is wrong");
        assertThat(start).as("the table's heading in README.md").isNotNegative();
        String table = readme.substring(start);
        table = table.substring(0, table.indexOf("\n\n", table.indexOf("|---")));
        int rows = 0;
        for (Field f : Seen.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                String firstLine = (String) f.get(null);
                assertThat(table).as(f.getName()).contains("`" + firstLine.replace("|", "\\|"));
                rows++;
            }
        }
        assertThat(table.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| what")).count())
                .as("rows in the table: each first line the tests assert, and the secrets row").isEqualTo(rows + 1);
    }
}
