package org.oddity.eventfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The names in a pickled Python list of strings, as PyTables stores list-valued attributes such
 * as pandas' {@code values_block_0_kind}: pickle protocol 0, a text format of one-letter opcodes.
 * Only the opcodes such a list uses are accepted; anything else is not a list of names.
 */
final class PickledNames {

    private PickledNames() {
    }

    /** The strings of {@code pickle} in order, or empty if it is not a protocol-0 list of strings. */
    static Optional<List<String>> parse(String pickle) {
        List<String> names = new ArrayList<>();
        int at = 0;
        while (at < pickle.length()) {
            char op = pickle.charAt(at++);
            switch (op) {
                case '(', 'l', 'a' -> {
                    // MARK, LIST and APPEND build the list; the names' order is the text's order.
                }
                case '.' -> {
                    return Optional.of(names);
                }
                case 'p', 'V' -> {
                    int end = pickle.indexOf('\n', at);
                    if (end < 0) {
                        return Optional.empty();
                    }
                    if (op == 'V') {
                        names.add(rawUnicode(pickle.substring(at, end)));
                    }
                    at = end + 1;
                }
                default -> {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** Decodes Python's raw-unicode-escape: only {@code \\uXXXX} and {@code \\UXXXXXXXX} are escapes. */
    private static String rawUnicode(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            int digits = c == '\\' && i + 1 < text.length() ? escapeDigits(text.charAt(i + 1)) : 0;
            if (digits > 0 && i + 2 + digits <= text.length()) {
                out.appendCodePoint(Integer.parseInt(text.substring(i + 2, i + 2 + digits), 16));
                i += 2 + digits;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static int escapeDigits(char kind) {
        return kind == 'u' ? 4 : kind == 'U' ? 8 : 0;
    }
}
