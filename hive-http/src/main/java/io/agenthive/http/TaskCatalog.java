package io.agenthive.http;

import java.util.List;
import java.util.concurrent.CompletionStage;

/** Where task lists get the ids of all tasks from (the journal today, projections later). */
@FunctionalInterface
public interface TaskCatalog {
  CompletionStage<List<String>> taskIds();
}
