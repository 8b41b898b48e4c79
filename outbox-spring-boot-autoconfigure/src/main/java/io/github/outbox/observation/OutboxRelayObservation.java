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

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * Observations of the outbox.
 *
 * @author Outbox contributors
 */
public enum OutboxRelayObservation implements ObservationDocumentation {

	/**
	 * The relay of one event: from handing it to the sender to the broker's
	 * acknowledgement. A child of the span that published the event.
	 */
	RELAY {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultOutboxRelayObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return LowCardinalityKeyNames.values();
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return HighCardinalityKeyNames.values();
		}

	};

	/**
	 * Low cardinality tags.
	 */
	public enum LowCardinalityKeyNames implements KeyName {

		/**
		 * Topic of the event.
		 */
		TOPIC {

			@Override
			public String asString() {
				return "outbox.topic";
			}

		},

		/**
		 * Type of the event.
		 */
		EVENT_TYPE {

			@Override
			public String asString() {
				return "outbox.event.type";
			}

		}

	}

	/**
	 * High cardinality tags.
	 */
	public enum HighCardinalityKeyNames implements KeyName {

		/**
		 * Id of the event ({@code ce_id}).
		 */
		EVENT_ID {

			@Override
			public String asString() {
				return "outbox.event.id";
			}

		},

		/**
		 * Key of the event.
		 */
		EVENT_KEY {

			@Override
			public String asString() {
				return "outbox.event.key";
			}

		}

	}

}
