package org.oddity.deploy;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The metric names a PromQL expression reads, told apart from functions, keywords, labels and durations. */
final class PromQl {

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
    private static final Pattern LABEL_LIST =
            Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    /** Grafana's template variables, e.g. $application or ${cell}. */
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?\\w+}?");
    private static final Pattern NUMBER = Pattern.compile("(?<![\\w:])[0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(\\s*\\()?");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring",
            "group_left", "group_right", "bool", "offset", "inf", "nan");

    private PromQl() {
    }

    /** The metric names {@code expression} selects; a name followed by "(" is a function or an aggregation. */
    static Set<String> metricNames(String expression) {
        String rest = expression;
        for (Pattern drop : new Pattern[] {STRING, MATCHERS, RANGE, LABEL_LIST, VARIABLE, NUMBER}) {
            rest = drop.matcher(rest).replaceAll(" ");
        }
        Set<String> names = new TreeSet<>();
        Matcher identifier = IDENTIFIER.matcher(rest);
        while (identifier.find()) {
            String name = identifier.group().replaceAll("[\\s(]", "");
            if (identifier.group(1) == null && !KEYWORDS.contains(name.toLowerCase(Locale.ROOT))) {
                names.add(name);
            }
        }
        return names;
    }
}
