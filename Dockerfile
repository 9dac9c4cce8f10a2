# oddity's image: the shaded jar on a Java 17 JRE, run as a user of its own.
#   docker build -t oddity .
#   docker run --rm -e ODDITY_BOOTSTRAP_SERVERS=kafka:9092 -e ODDITY_MODEL_BUNDLE=/models/l1-hbos \
#       -v models:/models:ro -v oddity-work:/var/lib/oddity -p 9464:9464 oddity
# Settings come from ODDITY_* variables (oddity-defaults.properties names them all); JVM options from
# ODDITY_JAVA_OPTS, as for the ./oddity launcher.

# Build: the same Maven build as ./oddity, tests left to CI.
FROM maven:3-eclipse-temurin-17 AS build
WORKDIR /build
COPY pom.xml ./
COPY .mvn .mvn
# The dependencies in a layer of their own, kept while only the sources change. (No BuildKit cache mount: the
# classic builder, which docker-compose 1.x uses, would refuse it.)
RUN mvn dependency:go-offline
COPY avro-schemas avro-schemas
COPY src/main src/main
RUN mvn package -DskipTests

FROM eclipse-temurin:17-jre
# A fixed numeric uid, so that Kubernetes' runAsNonRoot can check it and fsGroup can match it. The work
# directory and the bundle directory exist in the image owned by that user: a named volume mounted on
# either starts with that owner, and so is writable.
RUN groupadd --system --gid 10001 oddity \
    && useradd --system --uid 10001 --gid oddity --home-dir /var/lib/oddity --no-create-home \
        --shell /usr/sbin/nologin oddity \
    && mkdir -p /var/lib/oddity /models \
    && chown oddity:oddity /var/lib/oddity /models
COPY --from=build /build/target/oddity.jar /opt/oddity/oddity.jar
# The simulator's example scenarios: oddity simulate --scenario /opt/oddity/scenarios/dead-region.yaml
COPY scenarios /opt/oddity/scenarios
# Kafka Streams state and the instance's stable name (work.dir/instance-id) live in the work directory; the
# endpoint serves every interface, or nothing outside the container could scrape it.
ENV ODDITY_WORK_DIR=/var/lib/oddity \
    ODDITY_METRICS_HOST=0.0.0.0 \
    ODDITY_JAVA_OPTS="-XX:MaxRAMPercentage=75"
USER 10001:10001
WORKDIR /var/lib/oddity
VOLUME ["/var/lib/oddity"]
EXPOSE 9464
# exec: the JVM becomes PID 1 and gets SIGTERM itself, so Kafka Streams closes and commits before exit.
ENTRYPOINT ["/bin/sh", "-c", "exec java $ODDITY_JAVA_OPTS -jar /opt/oddity/oddity.jar \"$@\"", "oddity"]
CMD ["run"]
