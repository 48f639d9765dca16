package io.agenthive.persistence.blob;

import akka.NotUsed;
import akka.japi.Pair;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import io.agenthive.blob.BlobStore.BlobMissing;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Reads a range of a blob a page of parts at a time (about 1 MiB per query): as a Source, each page
 * fetched on the blob dispatcher only when the stream asks for more, or at once for a caller on an
 * I/O thread. Parts must follow each other without a gap; a gap is an error, not a silently shorter
 * answer.
 */
final class BlobReader {
  /**
   * Where the next page starts; {@code first}: the first page, which checks that the blob exists
   * and looks up the part holding its first byte (later pages start where a part starts).
   */
  private record Cursor(long next, boolean first, long known, boolean last) {}

  /** Bytes {@code [from, from + length)} of a part's array. */
  private record Slice(byte[] bytes, int from, int length) {
    ByteString toByteString() {
      return ByteString.fromArrayUnsafe(bytes, from, length);
    }
  }

  private BlobReader() {}

  static Source<ByteString, NotUsed> source(BlobDb db, String id, long offset, long length) {
    long end = end(offset, length);
    return Source.unfoldAsync(
            new Cursor(offset, true, 0, false),
            (Cursor cursor) ->
                cursor.next() >= end || cursor.last()
                    ? CompletableFuture.completedFuture(Optional.<Pair<Cursor, List<Slice>>>empty())
                    : db.async(c -> nextPage(c, db, id, cursor, end)))
        .mapConcat(slices -> slices)
        .map(Slice::toByteString);
  }

  /**
   * The page at the cursor. Bytes the blob held when the read began must all come: if the parts run
   * out before them they were removed meanwhile (retention), and the read fails rather than end
   * early with an answer that looks whole. A blob still being written may have grown since: the
   * read goes on as far as the parts it finds.
   */
  private static Optional<Pair<Cursor, List<Slice>>> nextPage(
      Connection c, BlobDb db, String id, Cursor cursor, long end)
      throws SQLException, IOException {
    Cursor at = cursor;
    if (cursor.first()) {
      long size = BlobSql.info(c, id).orElseThrow(() -> new BlobMissing(id)).size();
      at = new Cursor(cursor.next(), true, size, false);
    }
    var page = page(c, id, at, end, db.settings().partsPerPage());
    long reached = page.map(p -> p.first().next()).orElse(at.next());
    boolean ends = page.isEmpty() || page.get().first().last();
    if (ends && reached < Math.min(end, at.known())) {
      throw new IOException("blob " + id + " lost its bytes from " + reached + " on while read");
    }
    return page;
  }

  static byte[] readRange(BlobDb db, String id, long offset, int length) throws IOException {
    return db.inTransaction(
        c -> {
          long size = BlobSql.info(c, id).orElseThrow(() -> new BlobMissing(id)).size();
          byte[] out = new byte[(int) Math.max(0, Math.min(length, size - offset))];
          // enough parts for the whole range in one query (the array holds it all anyway)
          int parts = out.length / db.settings().partBytes() + 2;
          Cursor cursor = new Cursor(offset, true, size, false);
          int filled = 0;
          while (filled < out.length) {
            var page = page(c, id, cursor, offset + out.length, parts);
            if (page.isEmpty()) {
              throw new IOException(
                  "blob " + id + " has no part holding byte " + (offset + filled));
            }
            for (Slice slice : page.get().second()) {
              System.arraycopy(slice.bytes(), slice.from(), out, filled, slice.length());
              filled += slice.length();
            }
            cursor = page.get().first();
          }
          return out;
        });
  }

  private static long end(long offset, long length) {
    return length < 0 || offset > Long.MAX_VALUE - length ? Long.MAX_VALUE : offset + length;
  }

  /** The next page's slices within {@code [cursor.next, end)}; empty at the blob's end. */
  private static Optional<Pair<Cursor, List<Slice>>> page(
      Connection c, String id, Cursor cursor, long end, int limit)
      throws SQLException, IOException {
    List<BlobSql.Part> parts = BlobSql.parts(c, id, cursor.next(), end, limit, cursor.first());
    if (parts.isEmpty()) {
      return Optional.empty();
    }
    List<Slice> slices = new ArrayList<>(parts.size());
    long expected = cursor.next();
    for (BlobSql.Part p : parts) {
      if (p.start() > expected || p.end() <= expected) {
        throw new IOException("blob " + id + " has no part holding byte " + expected);
      }
      long to = Math.min(p.end(), end);
      slices.add(new Slice(p.bytes(), (int) (expected - p.start()), (int) (to - expected)));
      expected = to;
    }
    // a short page was the blob's last: the next pull ends the stream without another query
    boolean last = parts.size() < limit;
    return Optional.of(Pair.create(new Cursor(expected, false, cursor.known(), last), slices));
  }
}
