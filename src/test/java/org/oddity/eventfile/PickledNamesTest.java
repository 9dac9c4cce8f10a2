package org.oddity.eventfile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Pickled lists of names as PyTables stores them (Python's {@code pickle.dumps(names, 0)}). */
class PickledNamesTest {

    @Test
    void readsTheNamesOfAList() {
        assertEquals(Optional.of(List.of("run", "event")), PickledNames.parse("(lp0\nVrun\np1\naVevent\np2\na."));
        assertEquals(Optional.of(List.of()), PickledNames.parse("(lp0\n."));
    }

    @Test
    void decodesRawUnicodeEscapes() {
        // pickle.dumps(['η', 'a\\b'], 0)
        assertEquals(Optional.of(List.of("η", "a\\b", "\uD83D\uDE00")),
                PickledNames.parse("(lp0\nV\\u03b7\np1\naVa\\u005cb\np2\naV\\U0001f600\np3\na."));
    }

    @Test
    void anythingButAListOfStringsIsNoNames() {
        assertEquals(Optional.empty(), PickledNames.parse("N."), "None");
        assertEquals(Optional.empty(), PickledNames.parse("(lp0\n(I1\n(lp1\nVrun\np2\natp3\na."),
                "pandas' non_index_axes, a list of tuples");
        assertEquals(Optional.empty(), PickledNames.parse("(lp0\nVrun"), "cut short");
    }
}
