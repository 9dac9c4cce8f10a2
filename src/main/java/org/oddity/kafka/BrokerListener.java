package org.oddity.kafka;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.Uuid;

/**
 * The local broker's listener for clients: plaintext, or SASL_PLAINTEXT that takes a fixed set of
 * users through the PLAIN mechanism, as a secured cluster would (without TLS: it listens on
 * 127.0.0.1 only).
 *
 * @param name           the listener's name and its security protocol's
 * @param serverSettings what it adds to the broker's server.properties
 * @param clientSettings oddity's {@code kafka.*} settings with which the broker's own user connects
 */
record BrokerListener(String name, Map<String, String> serverSettings, Map<String, String> clientSettings) {

    /** The broker's own user: it talks to itself over the listener, and checks that it is up as this user. */
    private static final String BROKER_USER = "oddity-local-broker";
    private static final String LOGIN_MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule required";
    private static final String USER_OR_PASSWORD = "[A-Za-z0-9._-]{1,100}";

    /** A listener that takes any connection. */
    static BrokerListener plaintext() {
        return new BrokerListener("PLAINTEXT", Map.of(), Map.of());
    }

    /**
     * A listener that takes the users of {@code users} (name to password; letters, digits, '.', '_',
     * '-'), each with its password, through SASL/PLAIN, and refuses every other connection.
     */
    static BrokerListener saslPlain(Map<String, String> users) {
        users.forEach((user, password) -> {
            if (!user.matches(USER_OR_PASSWORD) || !password.matches(USER_OR_PASSWORD)) {
                throw new IllegalArgumentException("a user name or password that is not 1 to 100 letters, digits,"
                        + " '.', '_' or '-' (it is written into a JAAS config unquoted)");
            }
        });
        String brokerPassword = Uuid.randomUuid().toString();
        Map<String, String> all = new LinkedHashMap<>(users);
        all.put(BROKER_USER, brokerPassword);
        // PLAIN's login module takes the users a broker accepts from its user_NAME="PASSWORD" options.
        StringBuilder jaas = new StringBuilder(LOGIN_MODULE).append(" username=\"").append(BROKER_USER)
                .append("\" password=\"").append(brokerPassword).append('"');
        all.forEach((user, password) -> jaas.append(" user_").append(user).append("=\"").append(password).append('"'));
        String name = "SASL_PLAINTEXT";
        Map<String, String> server = new LinkedHashMap<>();
        server.put("sasl.enabled.mechanisms", "PLAIN");
        server.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
        server.put("listener.name." + name.toLowerCase(Locale.ROOT) + ".plain.sasl.jaas.config", jaas.append(';')
                .toString());
        return new BrokerListener(name, server, Map.of(
                "kafka.security.protocol", name,
                "kafka.sasl.mechanism", "PLAIN",
                "kafka.sasl.jaas.config", LOGIN_MODULE + " username=\"" + BROKER_USER + "\" password=\""
                        + brokerPassword + "\";"));
    }

    /** The values of the users' passwords are left out. */
    @Override
    public String toString() {
        return "BrokerListener[" + name + "]";
    }
}
