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

package io.github.outbox.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Configuration properties of the {@code outbox} health indicator, next to Spring Boot's
 * own {@code management.health.*} settings. A threshold that is not set falls back to the
 * deprecated {@code outbox.health.*} property, then to its default.
 *
 * @author Outbox contributors
 */
@ConfigurationProperties("management.health.outbox")
public class OutboxHealthProperties implements Validator {

	/**
	 * Default of {@link #getMaxOldestAge()}.
	 */
	public static final Duration DEFAULT_MAX_OLDEST_AGE = Duration.ofMinutes(5);

	/**
	 * Default of {@link #getMaxDead()}.
	 */
	public static final long DEFAULT_MAX_DEAD = 0;

	/**
	 * Age of the oldest pending event above which the outbox is reported OUT_OF_SERVICE.
	 */
	private @Nullable Duration maxOldestAge;

	/**
	 * Number of dead events above which the outbox is reported OUT_OF_SERVICE.
	 */
	private @Nullable Long maxDead;

	public @Nullable Duration getMaxOldestAge() {
		return this.maxOldestAge;
	}

	public void setMaxOldestAge(@Nullable Duration maxOldestAge) {
		this.maxOldestAge = maxOldestAge;
	}

	public @Nullable Long getMaxDead() {
		return this.maxDead;
	}

	public void setMaxDead(@Nullable Long maxDead) {
		this.maxDead = maxDead;
	}

	/**
	 * Return the age of the oldest pending event above which the outbox is out of
	 * service: this threshold if set, otherwise the deprecated one, otherwise
	 * {@link #DEFAULT_MAX_OLDEST_AGE}.
	 * @param deprecated the value of {@code outbox.health.max-oldest-age}, if set
	 * @return the threshold
	 */
	public Duration determineMaxOldestAge(@Nullable Duration deprecated) {
		if (this.maxOldestAge != null) {
			return this.maxOldestAge;
		}
		return (deprecated != null) ? deprecated : DEFAULT_MAX_OLDEST_AGE;
	}

	/**
	 * Return the number of dead events above which the outbox is out of service: this
	 * threshold if set, otherwise the deprecated one, otherwise
	 * {@link #DEFAULT_MAX_DEAD}.
	 * @param deprecated the value of {@code outbox.health.max-dead}, if set
	 * @return the threshold
	 */
	public long determineMaxDead(@Nullable Long deprecated) {
		if (this.maxDead != null) {
			return this.maxDead;
		}
		return (deprecated != null) ? deprecated : DEFAULT_MAX_DEAD;
	}

	@Override
	public boolean supports(Class<?> type) {
		return OutboxHealthProperties.class.isAssignableFrom(type);
	}

	@Override
	public void validate(Object target, Errors errors) {
		OutboxHealthProperties properties = (OutboxHealthProperties) target;
		Duration maxOldestAge = properties.getMaxOldestAge();
		if (maxOldestAge != null && (maxOldestAge.isNegative() || maxOldestAge.isZero())) {
			errors.rejectValue("maxOldestAge", "outbox.notPositive", "must be positive");
		}
		Long maxDead = properties.getMaxDead();
		if (maxDead != null && maxDead < 0) {
			errors.rejectValue("maxDead", "outbox.negative", "must not be negative");
		}
	}

}
