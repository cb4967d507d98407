package dev.jtap.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * README's "Client compatibility" table cannot drift from the tests: every row names an existing
 * end-to-end test method, and every {@link CompatibilityIT} test has a row.
 */
class ClientMatrixTest {
    static final Set<Class<?>> SUITES = Set.of(HttpsIT.class, StreamingIT.class, CompatibilityIT.class);
    static final Pattern TEST_CELL = Pattern.compile("`(\\w+)#(\\w+)`");

    record Row(String client, String decrypted, String trust, String testClass, String testMethod) {
    }

    static List<Row> rows() throws IOException {
        List<String> lines = Files.readAllLines(Jtap.REPO.resolve("README.md"));
        int start = lines.indexOf("## Client compatibility");
        assertThat(start).as("README.md has a \"## Client compatibility\" section").isNotNegative();
        List<Row> rows = new ArrayList<>();
        boolean inTable = false;
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("## ")) {
                break;
            }
            if (!line.startsWith("|")) {
                if (inTable) {
                    break;
                }
                continue;
            }
            inTable = true;
            if (line.startsWith("| client ") || line.startsWith("|---")) {
                continue;
            }
            String[] cells = Arrays.stream(line.substring(1, line.length() - 1).split(" \\| ")).map(String::strip)
                    .toArray(String[]::new);
            assertThat(cells).as("four cells: " + line).hasSize(4);
            Matcher test = TEST_CELL.matcher(cells[3]);
            assertThat(test.matches()).as("test cell is `Class#method`: " + line).isTrue();
            rows.add(new Row(cells[0], cells[1], cells[2], test.group(1), test.group(2)));
        }
        return rows;
    }

    static boolean isTest(Method m) {
        return m.isAnnotationPresent(Test.class) || m.isAnnotationPresent(ParameterizedTest.class);
    }

    @Test
    void everyRowNamesAnExistingEndToEndTest() throws IOException {
        List<Row> rows = rows();
        assertThat(rows).hasSizeGreaterThanOrEqualTo(15);
        for (Row row : rows) {
            Class<?> suite = SUITES.stream().filter(c -> c.getSimpleName().equals(row.testClass())).findFirst()
                    .orElse(null);
            assertThat(suite).as(row + ": one of " + SUITES).isNotNull();
            assertThat(Arrays.stream(suite.getDeclaredMethods()).filter(ClientMatrixTest::isTest).map(Method::getName))
                    .as(row.toString()).contains(row.testMethod());
            assertThat(row.decrypted()).as(row.toString()).matches("(yes|no)\\b.*");
            assertThat(row.trust()).as(row.toString()).isNotBlank();
        }
    }

    @Test
    void everyCompatibilityTestHasARow() throws IOException {
        List<String> listed = rows().stream().filter(r -> r.testClass().equals("CompatibilityIT"))
                .map(Row::testMethod).toList();
        List<String> tests = Arrays.stream(CompatibilityIT.class.getDeclaredMethods()).filter(ClientMatrixTest::isTest)
                .map(Method::getName).toList();
        assertThat(listed).containsExactlyInAnyOrderElementsOf(tests);
    }
}
