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

package io.github.outbox.store;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A snapshot of the outbox table.
 *
 * @param pending events waiting to be sent, including those waiting for a retry
 * @param dead dead events
 * @param oldestPendingCreatedAt when the oldest pending event was published, or
 * {@code null} if none is pending
 * @author Outbox contributors
 */
public record OutboxStatistics(long pending, long dead, @Nullable Instant oldestPendingCreatedAt) {

}
