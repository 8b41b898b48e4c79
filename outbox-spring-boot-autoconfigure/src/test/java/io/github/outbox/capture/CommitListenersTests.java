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

package io.github.outbox.capture;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.github.outbox.store.OutboxMessage;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Tests for {@link CommitListeners}.
 */
class CommitListenersTests {

	@Test
	void whenAListenerFailsAfterTheCommitThenTheOthersAreToldAndTheCallerSeesNoException() {
		List<String> told = new ArrayList<>();
		DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
		beans.registerSingleton("failing", (OutboxCommitListener) (messages) -> {
			throw new IllegalStateException("broken listener");
		});
		beans.registerSingleton("working", (OutboxCommitListener) (messages) -> told.add("working"));
		CommitListeners listeners = new CommitListeners(beans.getBeanProvider(OutboxCommitListener.class));
		OutboxMessage message = new OutboxMessage(UUID.randomUUID(), "orders", "a", "test", new byte[0], Map.of(),
				Instant.now());
		assertThatNoException().isThrownBy(() -> listeners.committed(List.of(message)));
		assertThatNoException().isThrownBy(listeners::pendingAgain);
		assertThat(told).containsExactly("working", "working");
	}

}
