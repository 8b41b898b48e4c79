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
 * Test support for applications using the outbox:
 * {@link io.github.outbox.test.OutboxTestEvents} shows what was recorded and waits until
 * it was relayed, {@link io.github.outbox.test.OutboxAssertions} asserts on it and
 * {@link io.github.outbox.test.AutoConfigureOutbox} adds the outbox to slice tests.
 */
@NullMarked
package io.github.outbox.test;

import org.jspecify.annotations.NullMarked;
