package org.oddity.eventfile;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * An iterator that finds its next element ahead of {@link #next()}, for sources that must read,
 * skip or filter before they know whether there is one; subclasses say how in {@link #fetch()}.
 */
public abstract class LookaheadIterator<T> implements Iterator<T> {

    private T next;

    /** The next element, or null when there is none. */
    protected abstract T fetch();

    @Override
    public final boolean hasNext() {
        if (next == null) {
            next = fetch();
        }
        return next != null;
    }

    @Override
    public final T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        T out = next;
        next = null;
        return out;
    }
}
