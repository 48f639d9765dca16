package io.agenthive.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agenthive.http.json.ApiError;
import io.agenthive.http.json.JsonFields;
import io.agenthive.task.DatasetSpec;
import io.agenthive.task.TaskSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a dataset task's splitting options: the {@code dataset} object of {@code POST /api/tasks}
 * (a file on the server), or the query of {@code POST /api/tasks/upload} (the body is the file),
 * where the content type names the format unless {@code format} does.
 */
public final class DatasetRequest {
  private static final Set<String> FIELDS =
      Set.of("path", "format", "chunk_bytes", "parallelism", "fail_on_malformed");

  /** Query parameters of an upload: the task's own fields and the dataset's. */
  static final Set<String> UPLOAD_PARAMS =
      Set.of(
          "title",
          "description",
          "type",
          "priority",
          "capability",
          "max_attempts",
          "timeout_ms",
          "format",
          "chunk_bytes",
          "parallelism",
          "fail_on_malformed");

  private DatasetRequest() {}

  static DatasetSpec fromJson(JsonFields task) {
    JsonNode raw = task.raw("dataset");
    if (!raw.isObject()) {
      task.error("dataset", "must be an object");
      return null;
    }
    JsonFields f = task.nested(raw, "dataset");
    f.rejectUnknown(FIELDS);
    return spec(f, f.string("path"), false);
  }

  /** The upload's options as JSON fields, so they are checked by the same rules. */
  static JsonFields uploadFields(Map<String, String> query, String contentType) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    query.forEach(
        (name, value) -> {
          boolean numeric =
              name.equals("chunk_bytes")
                  || name.equals("parallelism")
                  || name.equals("max_attempts")
                  || name.equals("timeout_ms");
          if (numeric && value.matches("-?[0-9]{1,18}")) {
            node.put(name, Long.parseLong(value));
          } else if (name.equals("fail_on_malformed") && value.matches("true|false")) {
            node.put(name, Boolean.parseBoolean(value));
          } else {
            node.put(name, value);
          }
        });
    if (!node.has("format")) {
      String format = formatOf(contentType);
      if (format != null) {
        node.put("format", format);
      }
    }
    return JsonFields.of(node);
  }

  /**
   * The task an upload submits: its fields and the dataset's from the query, its format from the
   * content type unless the query names one, its input stored at {@code storedAt}. Every problem is
   * a field error, found before a byte of the body is read.
   */
  static TaskSpec uploadTask(
      Map<String, List<String>> params, String contentType, String key, String storedAt) {
    Map<String, String> single = single(params);
    JsonFields f = uploadFields(single, contentType);
    f.rejectUnknown(UPLOAD_PARAMS);
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    single.forEach(
        (name, value) -> {
          if (List.of("title", "description", "type", "priority").contains(name)) {
            body.put(name, value);
          }
        });
    var caps = body.putArray("required_capabilities");
    for (String cap : params.getOrDefault("capability", List.of())) {
      int colon = cap.lastIndexOf(':');
      ObjectNode c = caps.addObject().put("name", colon < 0 ? cap : cap.substring(0, colon));
      if (colon >= 0) {
        try {
          c.put("minimum_proficiency", Double.parseDouble(cap.substring(colon + 1)));
        } catch (NumberFormatException e) {
          f.error("capability", "must be name or name:proficiency, e.g. csv:0.5");
        }
      }
    }
    for (String n : List.of("max_attempts", "timeout_ms")) {
      if (f.has(n)) {
        body.set(n, f.raw(n));
      }
    }
    var dataset = fromUpload(f, storedAt);
    if (!f.errors().isEmpty()) {
      throw ApiError.invalid(f.errors());
    }
    TaskSpec spec = TaskRequest.parse(body, key).withDataset(dataset);
    var errors = spec.validate();
    if (!errors.isEmpty()) {
      throw ApiError.invalid(errors);
    }
    return spec;
  }

  private static Map<String, String> single(Map<String, List<String>> params) {
    Map<String, String> out = new java.util.HashMap<>();
    params.forEach(
        (k, v) -> {
          if (!k.equals("capability") && !v.isEmpty()) {
            out.put(k, v.get(v.size() - 1));
          }
        });
    return out;
  }

  private static DatasetSpec fromUpload(JsonFields f, String storedAt) {
    return spec(f, storedAt, true);
  }

  private static DatasetSpec spec(JsonFields f, String path, boolean uploaded) {
    String formatName = f.string("format");
    DatasetSpec.Format format = formatName == null ? null : DatasetSpec.Format.parse(formatName);
    if (format == null) {
      f.error(
          "format",
          uploaded
              ? "must be one of ndjson, csv, bytes (or send Content-Type application/x-ndjson, "
                  + "text/csv or application/octet-stream)"
              : "must be one of ndjson, csv, bytes");
    }
    Integer chunkBytes = f.integer("chunk_bytes");
    Integer parallelism = f.integer("parallelism");
    JsonNode failRaw = f.raw("fail_on_malformed");
    if (failRaw != null && !failRaw.isBoolean() && !failRaw.isNull()) {
      f.error("fail_on_malformed", "must be true or false");
    }
    boolean failOnMalformed = failRaw != null && failRaw.asBoolean(false);
    return new DatasetSpec(path, format, chunkBytes, parallelism, failOnMalformed, uploaded);
  }

  static String formatOf(String contentType) {
    if (contentType == null) {
      return null;
    }
    String media = contentType.split(";")[0].trim().toLowerCase(java.util.Locale.ROOT);
    return switch (media) {
      case "application/x-ndjson", "application/ndjson", "application/jsonl" -> "ndjson";
      case "text/csv" -> "csv";
      case "application/octet-stream" -> "bytes";
      default -> null;
    };
  }
}
