package io.agenthive.agent;

import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agenthive.common.HiveLimits;
import io.agenthive.skill.SkillResult;
import io.agenthive.skill.guard.OutputTooLarge;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * What an attempt's result may be before it leaves its run: an output serialized larger than {@code
 * hive.limits.max-output} (or nested deeper than {@code max-json-depth}) fails the attempt with a
 * named reason, one larger than {@code inline-output} is to be stored beside its event, and an
 * error text is cut to {@link #MAX_ERROR_CHARS}. Measuring writes the output once into a buffer
 * that refuses to grow past the limit, so an enormous output costs at most the limit.
 */
final class RunOutputs {
  static final int MAX_ERROR_CHARS = 4096;

  sealed interface Checked permits Inline, ToStore {}

  /** Small enough to travel in its event. */
  record Inline(SkillResult result) implements Checked {}

  /** To be stored as {@code json} first; the event then names it. */
  record ToStore(SkillResult result, byte[] json) implements Checked {}

  private RunOutputs() {}

  static Checked check(SkillResult result, HiveLimits limits, ObjectMapper writer) {
    // an attempt that awaits its subtasks journals its output (its tool calls) too: the same bounds
    if ((!result.success() && result.awaiting().isEmpty()) || result.output() == null) {
      return new Inline(withShortError(result));
    }
    byte[] json;
    try {
      Capped out = new Capped(limits.maxOutputBytes());
      writer.writeValue(out, result.output());
      json = out.toByteArray();
    } catch (StreamConstraintsException e) {
      return new Inline(
          SkillResult.failed(
              "output_too_large: the output nests deeper than "
                  + limits.maxJsonDepth()
                  + " levels (hive.limits.max-json-depth)"));
    } catch (IOException e) {
      if (e instanceof TooLarge || e.getCause() instanceof TooLarge) {
        return new Inline(
            SkillResult.failed(
                new OutputTooLarge("the output", limits.maxOutputBytes()).getMessage()));
      }
      return new Inline(SkillResult.failed("the output could not be written as JSON: " + e));
    }
    return json.length > limits.inlineOutputBytes()
        ? new ToStore(result, json)
        : new Inline(result);
  }

  private static SkillResult withShortError(SkillResult r) {
    if (r.error() == null || r.error().length() <= MAX_ERROR_CHARS) {
      return r;
    }
    String cut = r.error().substring(0, MAX_ERROR_CHARS) + "… (cut)";
    return new SkillResult(false, null, cut, r.qualityScore(), r.retryable(), r.tokens());
  }

  private static final class TooLarge extends IOException {
    TooLarge() {
      super("output past its limit");
    }
  }

  /** A byte buffer that refuses to grow past {@code max}. */
  private static final class Capped extends OutputStream {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final long max;

    Capped(long max) {
      this.max = max;
    }

    @Override
    public void write(int b) throws IOException {
      ensure(1);
      bytes.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      ensure(len);
      bytes.write(b, off, len);
    }

    private void ensure(int more) throws TooLarge {
      if (bytes.size() + (long) more > max) {
        throw new TooLarge();
      }
    }

    byte[] toByteArray() {
      return bytes.toByteArray();
    }
  }
}
