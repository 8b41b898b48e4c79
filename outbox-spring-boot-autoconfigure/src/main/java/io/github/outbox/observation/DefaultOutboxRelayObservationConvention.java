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

package io.github.outbox.observation;

import io.micrometer.common.KeyValues;

/**
 * Default {@link OutboxRelayObservationConvention}: named {@code outbox.relay}, tagged
 * with the topic and the event type (both bounded), and in traces with the event id and
 * key.
 *
 * @author Outbox contributors
 */
public class DefaultOutboxRelayObservationConvention implements OutboxRelayObservationConvention {

	/**
	 * A shared instance.
	 */
	public static final DefaultOutboxRelayObservationConvention INSTANCE = new DefaultOutboxRelayObservationConvention();

	@Override
	public String getContextualName(OutboxRelayContext context) {
		return context.getRecord().topic() + " relay";
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(OutboxRelayContext context) {
		return KeyValues.of(OutboxRelayObservation.LowCardinalityKeyNames.TOPIC.withValue(context.getRecord().topic()),
				OutboxRelayObservation.LowCardinalityKeyNames.EVENT_TYPE.withValue(context.getRecord().type()));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(OutboxRelayContext context) {
		KeyValues values = KeyValues
			.of(OutboxRelayObservation.HighCardinalityKeyNames.EVENT_ID.withValue(context.getRecord().eventId()));
		String key = context.getRecord().key();
		return (key != null) ? values.and(OutboxRelayObservation.HighCardinalityKeyNames.EVENT_KEY.withValue(key))
				: values;
	}

}
