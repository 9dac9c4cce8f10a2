package org.oddity.sim;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.oddity.avro.CollisionEvent;
import org.oddity.avro.PhysicsObject;

/**
 * Replaces a seeded random fraction of events by malformed records, one of three kinds in
 * turn: bytes cut short (undecodable), an event without run conditions, and an event with a
 * non-finite jet eta. Counts what it injected, so a demo can check every one reached the
 * dead-letter topic.
 */
public final class BadEventInjector implements Function<CollisionEvent, byte[]> {

    private final Function<CollisionEvent, byte[]> encode;
    private final double fraction;
    private final SplittableRandom random;
    private long injected;

    /**
     * @param encode   the correct encoding of an event
     * @param fraction probability that an event is replaced, in [0, 1]
     * @param seed     seed of the choice
     */
    public BadEventInjector(Function<CollisionEvent, byte[]> encode, double fraction, long seed) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be in [0, 1]: " + fraction);
        }
        this.encode = encode;
        this.fraction = fraction;
        this.random = new SplittableRandom(seed);
    }

    @Override
    public byte[] apply(CollisionEvent event) {
        if (fraction == 0 || random.nextDouble() >= fraction) {
            return encode.apply(event);
        }
        switch ((int) (injected++ % 3)) {
            case 0 -> {
                byte[] bytes = encode.apply(event);
                return Arrays.copyOf(bytes, bytes.length / 3);
            }
            case 1 -> {
                return encode.apply(CollisionEvent.newBuilder(event).setConditions(null).build());
            }
            default -> {
                CollisionEvent broken = CollisionEvent.newBuilder(event).build();
                broken.getObjects().getJets().add(new PhysicsObject(25f, Float.NaN, 0f));
                return encode.apply(broken);
            }
        }
    }

    /** Malformed records produced so far. */
    public long injected() {
        return injected;
    }
}
