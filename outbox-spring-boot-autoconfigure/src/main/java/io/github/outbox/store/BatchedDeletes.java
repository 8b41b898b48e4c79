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

import java.util.function.IntUnaryOperator;

/**
 * Deletes in bounded batches, so that a purge never locks a table for long.
 *
 * @author Outbox contributors
 */
public final class BatchedDeletes {

	private BatchedDeletes() {
	}

	/**
	 * Delete batch after batch until one is not full or {@code maxBatches} ran.
	 * @param deleteUpTo deletes up to the given number of rows and returns how many it
	 * deleted
	 * @param batchSize the maximum number of rows per batch
	 * @param maxBatches the maximum number of batches
	 * @return the number of rows deleted
	 */
	public static int run(IntUnaryOperator deleteUpTo, int batchSize, int maxBatches) {
		int deleted = 0;
		for (int i = 0; i < maxBatches; i++) {
			int batch = deleteUpTo.applyAsInt(batchSize);
			deleted += batch;
			if (batch < batchSize) {
				break;
			}
		}
		return deleted;
	}

}
