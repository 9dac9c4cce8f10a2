#!/usr/bin/env python3
"""Print oddity's flagged events and alerts, one line per record.

Reads the topics oddity.anomalies and oddity.alerts with confluent-kafka and decodes their
values with the Apache avro package and the schemas of avro-schemas/. oddity writes Avro
single-object encoding: the marker C3 01, the 8-byte little-endian CRC-64-AVRO fingerprint of
the writer schema's parsing canonical form, then the binary datum. A record whose marker or
fingerprint does not match is reported on standard error and skipped.

Works with Debian bookworm's python3-confluent-kafka (1.7.0) and python3-avro (1.11.1).
"""

import argparse
import io
import json
import signal
import sys
import threading
from pathlib import Path

import avro.io
import avro.schema
from confluent_kafka import OFFSET_BEGINNING, OFFSET_END, Consumer, KafkaError, KafkaException, TopicPartition

MARKER = b"\xc3\x01"
HEADER_LENGTH = len(MARKER) + 8
NAMED_TYPES = {"record", "error", "enum", "fixed"}
# The CRC-64-AVRO fingerprint of the Avro specification ("Schema Fingerprints"); the avro
# package computes the canonical form but not this fingerprint.
CRC64_EMPTY = 0xC15D213AA4D7A795


def _crc64_table():
    table = []
    for i in range(256):
        fp = i
        for _ in range(8):
            fp = (fp >> 1) ^ (CRC64_EMPTY & -(fp & 1))
        table.append(fp)
    return table


CRC64_TABLE = _crc64_table()


def fingerprint(data):
    """The CRC-64-AVRO fingerprint of data (bytes)."""
    fp = CRC64_EMPTY
    for byte in data:
        fp = (fp >> 8) ^ CRC64_TABLE[(fp ^ byte) & 0xFF]
    return fp


def full_name(node, namespace):
    name = node["name"]
    if "." in name:
        return name
    namespace = node.get("namespace", namespace)
    return namespace + "." + name if namespace else name


def inline(node, namespace, definitions, defined):
    """node with each named type of another file written out where it is first used, as one
    self-contained schema needs it; later uses stay references by name."""
    if isinstance(node, list):
        return [inline(branch, namespace, definitions, defined) for branch in node]
    if isinstance(node, str):
        name = node if "." in node or not namespace else namespace + "." + node
        if name in definitions and name not in defined:
            return inline(definitions[name], namespace, definitions, defined)
        return node
    node = dict(node)
    kind = node["type"]
    if kind in NAMED_TYPES:
        name = full_name(node, namespace)
        defined.add(name)
        inner = name.rpartition(".")[0]
        if "fields" in node:
            node["fields"] = [dict(field, type=inline(field["type"], inner, definitions, defined))
                              for field in node["fields"]]
    elif kind == "array":
        node["items"] = inline(node["items"], namespace, definitions, defined)
    elif kind == "map":
        node["values"] = inline(node["values"], namespace, definitions, defined)
    else:
        node["type"] = inline(kind, namespace, definitions, defined)
    return node


def load_schema(directory, name):
    """The schema of record name (e.g. FlaggedEvent) from the .avsc files of directory, with the
    named types it uses from other files resolved."""
    definitions = {}
    for path in sorted(Path(directory).glob("*.avsc")):
        node = json.loads(path.read_text(encoding="utf-8"))
        definitions[full_name(node, "")] = node
    matches = [full for full in definitions if full.rpartition(".")[2] == name]
    if len(matches) != 1:
        raise ValueError(f"no single schema {name} in {directory}: {matches}")
    return avro.schema.parse(json.dumps(inline(definitions[matches[0]], "", definitions, set())))


class SingleObjectDecoder:
    """Decodes Avro single-object encoding written with one known schema."""

    def __init__(self, schema):
        self.schema = schema
        self.fingerprint = fingerprint(schema.canonical_form.encode("utf-8"))
        self.reader = avro.io.DatumReader(schema)

    def decode(self, data):
        if data is None or len(data) < HEADER_LENGTH or data[:len(MARKER)] != MARKER:
            raise ValueError("not Avro single-object encoding")
        written_with = int.from_bytes(data[len(MARKER):HEADER_LENGTH], "little")
        if written_with != self.fingerprint:
            raise ValueError(f"written with schema {written_with:016x}, not {self.schema.name} "
                             f"({self.fingerprint:016x})")
        return self.reader.read(avro.io.BinaryDecoder(io.BytesIO(data[HEADER_LENGTH:])))


def anomaly_line(f):
    truth = f" truth={f['truth']}" if f["truth"] is not None else ""
    top = ", ".join(f"{c['feature']} {c['contribution']:.3g}" for c in f["topFeatures"])
    return (f"anomaly {f['run']}:{f['event']} lumisection {f['lumisection']} cell {f['requestedCell']}"
            f" p={f['pValue']:.3g} ({f['workingPoint']}, calibrated on {f['cell']}, n={f['calibrationSize']})"
            f" score={f['score']:.4g} model {f['modelName']} {f['modelVersion']}"
            + (f" top [{top}]" if top else "") + truth)


def alert_line(a):
    feature = f" feature {a['feature']}" if a["feature"] is not None else ""
    return (f"alert {a['state']} {a['kind']} cell {a['cell']}{feature} corrected p={a['correctedPValue']:.3g}"
            f" lumisections {a['firstRun']}:{a['firstLumisection']}-{a['lastRun']}:{a['lastLumisection']}:"
            f" {a['message']}")


def arguments(argv):
    parser = argparse.ArgumentParser(description="Print oddity's flagged events and alerts, one line per record.")
    parser.add_argument("--bootstrap-servers", default="localhost:9092", metavar="HOST:PORT",
                        help="Kafka (default %(default)s)")
    parser.add_argument("--topic-prefix", default="", metavar="PREFIX",
                        help="oddity's setting topics.prefix (default none)")
    parser.add_argument("--max", type=int, metavar="N", help="stop after N records")
    parser.add_argument("--from-beginning", action="store_true", help="start at the oldest record")
    parser.add_argument("--follow", action="store_true",
                        help="keep reading until Ctrl-C instead of stopping at the end of each partition")
    parser.add_argument("--schemas", metavar="DIR", default=str(Path(__file__).resolve().parents[2] / "avro-schemas"),
                        help="directory of oddity's .avsc files (default %(default)s)")
    parser.add_argument("--timeout", type=float, default=10, metavar="SECONDS",
                        help="seconds to wait for Kafka at start (default %(default)s)")
    args = parser.parse_args(argv)
    if args.max is not None and args.max < 1:
        parser.error("--max must be at least 1")
    return args


def main(argv):
    args = arguments(argv)
    decoders = {
        args.topic_prefix + "oddity.anomalies": (SingleObjectDecoder(load_schema(args.schemas, "FlaggedEvent")),
                                                 anomaly_line),
        args.topic_prefix + "oddity.alerts": (SingleObjectDecoder(load_schema(args.schemas, "DriftAlert")),
                                              alert_line),
    }
    if not args.from_beginning and not args.follow:
        print("consume.py: nothing to print from the end without --follow; give --from-beginning, --follow or both",
              file=sys.stderr)
        return 0
    consumer = Consumer({
        "bootstrap.servers": args.bootstrap_servers,
        # The client wants a group id, but assign() joins no group and nothing is committed.
        "group.id": "oddity-consume-py",
        "enable.auto.commit": False,
        "enable.auto.offset.store": False,
        "isolation.level": "read_committed",
        "enable.partition.eof": True,
        # Connection failures are reported once, below, not at every retry.
        "log_level": 2,
    })
    try:
        try:
            metadata = consumer.list_topics(timeout=args.timeout)
        except KafkaException as e:
            print(f"consume.py: cannot reach Kafka at {args.bootstrap_servers}: {e.args[0].str()}", file=sys.stderr)
            return 1
        missing = sorted(topic for topic in decoders if topic not in metadata.topics)
        if missing:
            print(f"consume.py: topics {missing} do not exist on {args.bootstrap_servers}", file=sys.stderr)
            return 1
        start = OFFSET_BEGINNING if args.from_beginning else OFFSET_END
        partitions = [TopicPartition(topic, p, start) for topic in decoders for p in metadata.topics[topic].partitions]
        consumer.assign(partitions)
        return consume(consumer, decoders, len(partitions), args)
    finally:
        consumer.close()


def consume(consumer, decoders, partition_count, args):
    """Prints a line per record until --max, Ctrl-C or SIGTERM, or, without --follow, until every
    partition has been read to its end."""
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    at_end = set()
    printed = 0
    try:
        while not stop.is_set() and (args.max is None or printed < args.max):
            if not args.follow and len(at_end) == partition_count:
                break
            message = consumer.poll(0.2)
            if message is None:
                continue
            error = message.error()
            if error:
                if error.code() == KafkaError._PARTITION_EOF:
                    at_end.add((message.topic(), message.partition()))
                    continue
                if error.fatal():
                    raise KafkaException(error)
                # A broker away for a while: the client reconnects by itself.
                print(f"consume.py: {error.str()}", file=sys.stderr)
                continue
            decoder, line = decoders[message.topic()]
            try:
                value = decoder.decode(message.value())
            except (ValueError, EOFError) as e:
                print(f"consume.py: skipped {message.topic()}-{message.partition()}@{message.offset()}: {e}",
                      file=sys.stderr)
                continue
            print(line(value), flush=True)
            printed += 1
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
