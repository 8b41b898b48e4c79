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

package io.github.outbox.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.awaitility.Awaitility;

import org.springframework.util.FileSystemUtils;

/**
 * A real Kafka broker (KRaft, broker and controller in one) in a JVM of its own, with its
 * log on disk, so that it can be stopped and started again without losing what it
 * acknowledged. Topics are not created automatically.
 */
public final class KafkaBrokerProcess implements AutoCloseable {

	private final Path directory;

	private final Path config;

	private final int port;

	private Process process;

	private int starts;

	private KafkaBrokerProcess(Path directory, int port, int controllerPort) throws IOException {
		this.directory = directory;
		this.port = port;
		this.config = directory.resolve("server.properties");
		Files.writeString(this.config,
				String.join("\n", "process.roles=broker,controller", "node.id=1",
						"controller.quorum.voters=1@127.0.0.1:" + controllerPort,
						"listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
						"advertised.listeners=PLAINTEXT://127.0.0.1:" + port, "controller.listener.names=CONTROLLER",
						"inter.broker.listener.name=PLAINTEXT",
						"listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
						"log.dirs=" + directory.resolve("data"), "num.partitions=4", "auto.create.topics.enable=false",
						"offsets.topic.replication.factor=1", "transaction.state.log.replication.factor=1",
						"transaction.state.log.min.isr=1", "group.initial.rebalance.delay.ms=0"),
				StandardCharsets.UTF_8);
	}

	public static KafkaBrokerProcess start() throws IOException, InterruptedException {
		KafkaBrokerProcess broker = new KafkaBrokerProcess(Files.createTempDirectory("outbox-kafka-"), freePort(),
				freePort());
		JavaProcess.run("kafka.tools.StorageTool",
				List.of("format", "-t", Uuid.randomUuid().toString(), "-c", broker.config.toString()),
				broker.directory.resolve("format.log"));
		broker.restart();
		return broker;
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	public String bootstrapServers() {
		return "127.0.0.1:" + this.port;
	}

	/**
	 * Start the broker again on the same port and log, and wait until it accepts
	 * connections.
	 */
	public void restart() throws InterruptedException {
		this.starts++;
		Path log = this.directory.resolve("broker-" + this.starts + ".log");
		Process process = JavaProcess.start("kafka.Kafka", List.of(this.config.toString()), log);
		this.process = process;
		Awaitility.await("the Kafka broker to start, see " + log)
			.atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(100))
			.failFast("the Kafka broker process ended, see " + log, () -> !process.isAlive())
			.until(this::started);
	}

	private boolean started() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 200);
		}
		catch (IOException ex) {
			return false;
		}
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
			return !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
		}
		catch (Exception ex) {
			return false;
		}
	}

	/**
	 * Stop the broker (SIGTERM, as an operator would) and wait until it is gone.
	 */
	public void stop() throws InterruptedException {
		JavaProcess.stop(this.process);
	}

	public void createTopics(String... topics) throws Exception {
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
			admin.createTopics(List.of(topics).stream().map((topic) -> new NewTopic(topic, 4, (short) 1)).toList())
				.all()
				.get(30, TimeUnit.SECONDS);
		}
	}

	@Override
	public void close() throws InterruptedException {
		if (this.process != null && this.process.isAlive()) {
			this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
		FileSystemUtils.deleteRecursively(this.directory.toFile());
	}

}
