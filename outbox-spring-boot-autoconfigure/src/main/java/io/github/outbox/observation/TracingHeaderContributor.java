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

import java.util.Map;

import io.github.outbox.capture.OutboxHeaderContributor;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;

/**
 * Stores the trace context of the publishing span with each event (for W3C propagation
 * the {@code traceparent} header), so that the relay continues the trace.
 *
 * @author Outbox contributors
 */
public class TracingHeaderContributor implements OutboxHeaderContributor {

	private final Tracer tracer;

	private final Propagator propagator;

	/**
	 * Create an instance.
	 * @param tracer the tracer
	 * @param propagator the propagator that writes the context as headers
	 */
	public TracingHeaderContributor(Tracer tracer, Propagator propagator) {
		this.tracer = tracer;
		this.propagator = propagator;
	}

	@Override
	public void contribute(Object event, Map<String, String> headers) {
		Span span = this.tracer.currentSpan();
		if (span != null) {
			this.propagator.inject(span.context(), headers, (carrier, name, value) -> headers.put(name, value));
		}
	}

}
