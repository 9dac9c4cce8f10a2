package org.oddity.topology;

import java.nio.file.Path;
import java.time.Clock;
import org.oddity.avro.ModelAnnouncement;
import org.oddity.bundle.AnnouncedBundle;
import org.oddity.bundle.InvalidBundleException;
import org.oddity.bundle.ModelBundle;
import org.oddity.pipeline.ActiveModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Updates the global store of model announcements and hot-swaps the instance's model: an
 * announcement of the running model's name is fetched, verified and switched to, or refused
 * with the reason. It runs on the global thread, so fetching a bundle never holds up scoring,
 * and Kafka Streams replays the topic through it on restart, so the latest good announcement
 * is running again before the first event is scored.
 */
final class ModelAnnouncementProcessor extends CompactedTopicLoader<String, ModelAnnouncement> {

    private static final Logger LOG = LoggerFactory.getLogger(ModelAnnouncementProcessor.class);

    private final ActiveModel active;
    private final Path unpackDir;
    private final Clock clock;

    ModelAnnouncementProcessor(ActiveModel active, AvroCodec<ModelAnnouncement> codec, Path unpackDir, Clock clock) {
        super(AnomalyTopology.MODEL_STORE, codec);
        this.active = active;
        this.unpackDir = unpackDir;
        this.clock = clock;
    }

    @Override
    void undecodable(String key, UndecodableRecordException e) {
        refuse(key, "?", "announcement is " + e.getMessage());
    }

    @Override
    void loaded(String key, ModelAnnouncement announcement) {
        String name = announcement.getModelName();
        if (!name.equals(active.modelName())) {
            LOG.info("ignoring announcement of model {} {}: this instance runs model {}", name,
                    announcement.getModelVersion(), active.modelName());
            return;
        }
        try {
            ModelBundle bundle = AnnouncedBundle.load(announcement, unpackDir);
            switch (active.switchTo(bundle)) {
                case SWITCHED -> LOG.info("switched to model {} {} from {}", name, bundle.version(), bundle.directory());
                case AWAITING_CALIBRATION -> LOG.info("model {} {} from {} waits for online calibration of the active"
                        + " cells before it scores", name, bundle.version(), bundle.directory());
                case ALREADY_RUNNING -> LOG.debug("model {} {} is running already", name, bundle.version());
            }
        } catch (InvalidBundleException e) {
            refuse(name, announcement.getModelVersion(), e.getMessage());
        } catch (RuntimeException e) {
            // Anything else fetching or checking a bundle throws also makes it unusable: refused, the
            // running model keeps scoring, where an escaping exception would stop the global thread of
            // every instance, again at each restart while the record is on the compacted topic.
            refuse(name, announcement.getModelVersion(), "cannot use the bundle: " + e);
        }
    }

    private void refuse(String name, String version, String reason) {
        LOG.warn("refused model {} {}, still scoring with {}: {}", name, version, active.current().bundle().version(),
                reason);
        active.refused(new ActiveModel.Refusal(name, version, reason, clock.millis()));
    }
}
