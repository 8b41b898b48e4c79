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

/**
 * The threads the starter runs in the background (relay workers, lease renewal, monitor,
 * retention purges, relay notifications, the PostgreSQL listener), all built one way:
 * from Spring Boot's scheduler builders, so that {@code spring.task.scheduling.*}
 * customizers and task decorators and {@code spring.threads.virtual.enabled} apply to
 * them.
 */
@NullMarked
package io.github.outbox.task;

import org.jspecify.annotations.NullMarked;
