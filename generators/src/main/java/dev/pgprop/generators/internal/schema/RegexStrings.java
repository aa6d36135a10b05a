package dev.pgprop.generators.internal.schema;

import com.github.curiousoddman.rgxgen.RgxGen;
import com.github.curiousoddman.rgxgen.config.RgxGenOption;
import com.github.curiousoddman.rgxgen.nodes.Choice;
import com.github.curiousoddman.rgxgen.nodes.FinalSymbol;
import com.github.curiousoddman.rgxgen.nodes.Group;
import com.github.curiousoddman.rgxgen.nodes.GroupRef;
import com.github.curiousoddman.rgxgen.nodes.Node;
import com.github.curiousoddman.rgxgen.nodes.NotSymbol;
import com.github.curiousoddman.rgxgen.nodes.Repeat;
import com.github.curiousoddman.rgxgen.nodes.Sequence;
import com.github.curiousoddman.rgxgen.nodes.SymbolSet;
import com.github.curiousoddman.rgxgen.parsing.dflt.DefaultTreeBuilder;
import com.github.curiousoddman.rgxgen.visitors.NodeVisitor;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/**
 * The strings RgxGen generates for a regular expression from a seed, and a quick answer for those
 * longer than a column allows: an unbounded {@code +} repeats up to 100 times, so most strings drawn
 * for a pattern like {@code ^[a-z0-9._]+@[a-z0-9]+\.[a-z]{2,4}$} exceed {@code varchar(50)} and
 * are turned down. Their length is found by walking the pattern as RgxGen's generation does,
 * drawing the same random numbers but building nothing, and stopping once it is too long; only a
 * string short enough is generated. Draws are those of {@code rgx.generate(new Random(seed))}.
 */
final class RegexStrings {
    private final RgxGen rgx;
    private final Node tree;
    private final int infiniteRepetition;
    /** False when the pattern holds a node whose length only generating tells (a negative lookaround). */
    private final boolean measurable;

    RegexStrings(String regex) {
        this(regex, (Integer) RgxGenOption.INFINITE_PATTERN_REPETITION.getFromProperties(null));
    }

    /** With {@code infiniteRepetition} other than RgxGen's: only to show the comparison with RgxGen fails. */
    RegexStrings(String regex, int infiniteRepetition) {
        this.rgx = RgxGen.parse(regex);
        this.tree = new DefaultTreeBuilder(regex, null).get();
        this.infiniteRepetition = infiniteRepetition;
        Scan scan = new Scan();
        tree.visit(scan);
        this.measurable = !scan.notSymbol;
    }

    /** The string RgxGen generates from {@code new Random(seed)}, or null when it is longer than {@code maxLength}. */
    @Nullable String generate(long seed, int maxLength) {
        if (measurable) {
            Length length = new Length(new Random(seed), maxLength);
            tree.visit(length);
            if (length.over) {
                return null;
            }
        }
        String s = rgx.generate(new Random(seed));
        return s.length() > maxLength ? null : s;
    }

    /** Walks every node once, noting a negative lookaround. */
    private static final class Scan implements NodeVisitor {
        boolean notSymbol;

        @Override
        public void visit(SymbolSet node) {}

        @Override
        public void visit(Choice node) {
            for (Node n : node.getNodes()) {
                n.visit(this);
            }
        }

        @Override
        public void visit(FinalSymbol node) {}

        @Override
        public void visit(Repeat node) {
            node.getNode().visit(this);
        }

        @Override
        public void visit(Sequence node) {
            for (Node n : node.getNodes()) {
                n.visit(this);
            }
        }

        @Override
        public void visit(NotSymbol node) {
            notSymbol = true;
        }

        @Override
        public void visit(GroupRef node) {}

        @Override
        public void visit(Group node) {
            node.getNode().visit(this);
        }
    }

    /**
     * The length of RgxGen's string (its {@code GenerationVisitor}: the same calls on the random
     * source, in the same order), up to {@code max}: past it, {@code over} and the walk stops.
     */
    private final class Length implements NodeVisitor {
        private final Random random;
        private final int max;
        private final Map<Integer, Integer> groups = new HashMap<>();
        int length;
        boolean over;

        Length(Random random, int max) {
            this.random = random;
            this.max = max;
        }

        private void add(int n) {
            length += n;
            over = length > max;
        }

        @Override
        public void visit(SymbolSet node) {
            random.nextInt(node.getSymbolSetIndexer().size());
            add(1);
        }

        @Override
        public void visit(Choice node) {
            Node[] nodes = node.getNodes();
            nodes[random.nextInt(nodes.length)].visit(this);
        }

        @Override
        public void visit(FinalSymbol node) {
            add(node.getValue().length());
        }

        @Override
        public void visit(Repeat node) {
            int max = node.getMax() == -1 ? infiniteRepetition : node.getMax();
            int times = node.getMin() >= max ? node.getMin() : node.getMin() + random.nextInt(max + 1 - node.getMin());
            for (int i = 0; i < times && !over; i++) {
                node.getNode().visit(this);
            }
        }

        @Override
        public void visit(Sequence node) {
            for (Node n : node.getNodes()) {
                if (over) {
                    return;
                }
                n.visit(this);
            }
        }

        @Override
        public void visit(NotSymbol node) {
            throw new IllegalStateException("a pattern with a negative lookaround is generated, not measured");
        }

        @Override
        public void visit(GroupRef node) {
            add(groups.getOrDefault(node.getIndex(), 0));
        }

        @Override
        public void visit(Group node) {
            int start = length;
            node.getNode().visit(this);
            groups.put(node.getIndex(), length - start);
        }
    }
}
