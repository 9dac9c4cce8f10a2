package org.oddity.sim;

import java.util.HashMap;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.oddity.avro.CollisionEvent;
import org.oddity.avro.RunConditions;

/** Deterministic event stream: event i of n sits at fill time (i + 0.5) / n * duration, so any n covers the whole fill with the same pileup distribution. */
public final class DaqSimulator implements Iterator<CollisionEvent> {

    /** 2^18 LHC orbits of 3564 bunch slots at 40.079 MHz. */
    private static final double LUMISECTION_SECONDS = 23.31;
    private static final int BUNCH_SLOTS = 3564;
    private static final double NANOS_PER_SECOND = 1e9;

    private final SimulationPlan plan;
    private final RandomVariates random;
    private final BackgroundPhysics physics;
    private long index;

    public DaqSimulator(SimulationPlan plan, long seed) {
        this.plan = Objects.requireNonNull(plan, "plan");
        this.random = new RandomVariates(seed);
        this.physics = new BackgroundPhysics(random);
    }

    @Override
    public boolean hasNext() {
        return index < plan.events();
    }

    @Override
    public CollisionEvent next() {
        if (!hasNext()) {
            throw new NoSuchElementException("all " + plan.events() + " events of the plan were produced");
        }
        // Midpoints of n equal slices: a 10x calibration sample and the live stream, whatever their seeds, then
        // share the pileup and detector-state distribution, so their events are exchangeable within any cell.
        double t = (index + 0.5) / plan.events() * plan.fill().durationSeconds();
        double pileup = plan.fill().pileupAt(t);
        String state = plan.detector().stateAt(t);

        RunConditions conditions = new RunConditions();
        conditions.setPileup((float) pileup);
        conditions.setInstLumi((float) plan.fill().lumiAt(t));
        conditions.setDetectorState(state);
        conditions.setExtra(new HashMap<>());

        CollisionEvent event = new CollisionEvent();
        event.setRun(plan.run());
        event.setLumisection(1 + (int) Math.floor(t / LUMISECTION_SECONDS));
        event.setEvent(index + 1);
        event.setTimestampNanos(plan.startNanos() + Math.round(t * NANOS_PER_SECOND));
        event.setBunchCrossing(random.uniformInt(1, BUNCH_SLOTS));
        event.setConditions(conditions);
        // ECAL_ENDCAP_OUT is the one degraded state with modelled physics; other names only label the events.
        event.setObjects(physics.triggerObjects(pileup, DetectorSchedule.ECAL_ENDCAP_OUT.equals(state)));
        index++;
        return event;
    }
}
