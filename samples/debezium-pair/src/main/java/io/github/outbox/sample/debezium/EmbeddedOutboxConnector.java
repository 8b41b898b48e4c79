/*
 * Copyright 2026 the original author or authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

package io.github.outbox.sample.debezium;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.debezium.embedded.Connect;
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.storage.HeaderConverter;

/**
 * Debezium's embedded engine running a connector configuration given in Kafka Connect
 * REST API form ({@code {"name": …, "config": {…}}}), collecting the records its
 * transforms emit, converted to bytes with the configuration's own key, value and header
 * converters, as a Kafka Connect worker would before producing them.
 */
public final class EmbeddedOutboxConnector implements AutoCloseable {

	private static final ObjectMapper mapper = new ObjectMapper();

	private final DebeziumEngine<ChangeEvent<SourceRecord, SourceRecord>> engine;

	private final ExecutorService executor = Executors.newSingleThreadExecutor((runnable) -> {
		Thread thread = new Thread(runnable, "debezium-engine");
		thread.setDaemon(true);
		return thread;
	});

	private final List<ConnectedRecord> records = Collections.synchronizedList(new ArrayList<>());

	private final AtomicReference<Throwable> failure = new AtomicReference<>();

	private final Converter keyConverter;

	private final Converter valueConverter;

	private final HeaderConverter headerConverter;

	private final Consumer<ConnectedRecord> sink;

	private EmbeddedOutboxConnector(Map<String, String> config, Consumer<ConnectedRecord> sink) {
		this.sink = sink;
		this.keyConverter = converter(config, "key.converter", true);
		this.valueConverter = converter(config, "value.converter", false);
		this.headerConverter = headerConverter(config);
		Properties properties = new Properties();
		properties.putAll(config);
		this.engine = DebeziumEngine.create(Connect.class).using(properties).using((success, message, error) -> {
			if (!success) {
				this.failure.compareAndSet(null, (error != null) ? error : new IllegalStateException(message));
			}
		}).notifying((event) -> {
			ConnectedRecord record = convert(event.value());
			this.sink.accept(record);
			this.records.add(record);
		}).build();
		this.executor.execute(this.engine);
	}

	/**
	 * Load a connector configuration from the classpath ({@code {"name": …, "config":
	 * {…}}}) and return its {@code config} with {@code name} added, as the embedded
	 * engine wants it.
	 */
	public static Map<String, String> loadConfiguration(String resource) {
		try (InputStream input = EmbeddedOutboxConnector.class.getClassLoader().getResourceAsStream(resource)) {
			if (input == null) {
				throw new IllegalArgumentException("No connector configuration " + resource + " on the classpath");
			}
			JsonNode connector = mapper.readTree(input);
			Map<String, String> config = new LinkedHashMap<>();
			config.put("name", connector.required("name").asText());
			config.putAll(mapper.convertValue(connector.required("config"), new TypeReference<Map<String, String>>() {
			}));
			return config;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Start the engine with the given connector configuration, storing its offsets in a
	 * file of the given directory.
	 */
	public static EmbeddedOutboxConnector start(Map<String, String> connectorConfig, Path offsets) {
		return start(connectorConfig, offsets, (record) -> {
		});
	}

	/**
	 * Start the engine with the given connector configuration, storing its offsets in a
	 * file of the given directory, and hand each record to the given sink as it is
	 * emitted (for example a producer, as a Kafka Connect worker does).
	 */
	public static EmbeddedOutboxConnector start(Map<String, String> connectorConfig, Path offsets,
			Consumer<ConnectedRecord> sink) {
		Map<String, String> config = new LinkedHashMap<>(connectorConfig);
		config.put("offset.storage", "org.apache.kafka.connect.storage.FileOffsetBackingStore");
		config.put("offset.storage.file.filename", offsets.resolve("offsets.dat").toString());
		config.put("offset.flush.interval.ms", "0");
		return new EmbeddedOutboxConnector(config, sink);
	}

	/**
	 * The records emitted so far, in the order the engine handed them over.
	 */
	public List<ConnectedRecord> records() {
		Throwable error = this.failure.get();
		if (error != null) {
			throw new IllegalStateException("Debezium engine failed", error);
		}
		synchronized (this.records) {
			return List.copyOf(this.records);
		}
	}

	@Override
	public void close() throws Exception {
		this.engine.close();
		this.executor.shutdown();
		if (!this.executor.awaitTermination(30, TimeUnit.SECONDS)) {
			throw new IllegalStateException("Debezium engine did not stop within 30 s");
		}
	}

	private ConnectedRecord convert(SourceRecord record) {
		byte[] key = this.keyConverter.fromConnectData(record.topic(), record.keySchema(), record.key());
		byte[] value = this.valueConverter.fromConnectData(record.topic(), record.valueSchema(), record.value());
		List<Map.Entry<String, String>> headers = new ArrayList<>();
		for (Header header : record.headers()) {
			byte[] bytes = this.headerConverter.fromConnectHeader(record.topic(), header.key(), header.schema(),
					header.value());
			headers.add(new AbstractMap.SimpleImmutableEntry<>(header.key(),
					(bytes != null) ? new String(bytes, StandardCharsets.UTF_8) : null));
		}
		return new ConnectedRecord(record.topic(), (key != null) ? new String(key, StandardCharsets.UTF_8) : null,
				(value != null) ? new String(value, StandardCharsets.UTF_8) : null, headers);
	}

	private static Converter converter(Map<String, String> config, String property, boolean isKey) {
		Converter converter = instantiate(config, property, Converter.class);
		converter.configure(subConfig(config, property), isKey);
		return converter;
	}

	private static HeaderConverter headerConverter(Map<String, String> config) {
		HeaderConverter converter = instantiate(config, "header.converter", HeaderConverter.class);
		Map<String, Object> converterConfig = new HashMap<>(subConfig(config, "header.converter"));
		converterConfig.put("converter.type", "header");
		converter.configure(converterConfig);
		return converter;
	}

	private static <T> T instantiate(Map<String, String> config, String property, Class<T> type) {
		String className = config.get(property);
		if (className == null) {
			throw new IllegalArgumentException("The connector configuration must name its " + property);
		}
		try {
			return type.cast(Class.forName(className).getDeclaredConstructor().newInstance());
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("Could not instantiate " + property + " " + className, ex);
		}
	}

	private static Map<String, Object> subConfig(Map<String, String> config, String prefix) {
		Map<String, Object> result = new HashMap<>();
		config.forEach((name, value) -> {
			if (name.startsWith(prefix + ".")) {
				result.put(name.substring(prefix.length() + 1), value);
			}
		});
		return result;
	}

	/**
	 * A record as a Kafka Connect worker would produce it: topic, key and value as text
	 * (the converters' bytes read as UTF-8) and the headers in their order.
	 */
	public record ConnectedRecord(String topic, String key, String value, List<Map.Entry<String, String>> headerList) {

		/**
		 * The record as Kafka Connect's worker produces it: key, value and headers as the
		 * converters' bytes.
		 */
		public ProducerRecord<byte[], byte[]> toProducerRecord() {
			ProducerRecord<byte[], byte[]> producerRecord = new ProducerRecord<>(this.topic, null,
					(this.key != null) ? this.key.getBytes(StandardCharsets.UTF_8) : null,
					(this.value != null) ? this.value.getBytes(StandardCharsets.UTF_8) : null);
			this.headerList.forEach((header) -> producerRecord.headers()
				.add(header.getKey(),
						(header.getValue() != null) ? header.getValue().getBytes(StandardCharsets.UTF_8) : null));
			return producerRecord;
		}

		/**
		 * The headers by name; fails if a name occurs twice.
		 */
		public Map<String, String> headers() {
			Map<String, String> headers = new LinkedHashMap<>();
			for (Map.Entry<String, String> header : this.headerList) {
				if (headers.containsKey(header.getKey())) {
					throw new IllegalStateException("Header " + header.getKey() + " occurs twice in " + this);
				}
				headers.put(header.getKey(), header.getValue());
			}
			return headers;
		}

	}

}
