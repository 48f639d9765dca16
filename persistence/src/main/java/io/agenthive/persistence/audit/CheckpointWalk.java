package io.agenthive.persistence.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The verifier's second pass: every event hash after the chain's origin, in ordering order, merged
 * with the checkpoints (also streamed, oldest first): one query each, however many checkpoints a
 * long-lived hub has signed.
 */
final class CheckpointWalk {
  private final Connection c;
  private final long origin;
  private final JournalSigner signer;
  private final Consumer<JournalVerifier.Break> found;
  private final Runnable readOne;
  private long checkpoints;
  private Checkpoint newest;
  private long afterNewest;
  private long expectedFrom;

  CheckpointWalk(
      Connection c,
      long origin,
      JournalSigner signer,
      Consumer<JournalVerifier.Break> found,
      Runnable readOne) {
    this.c = c;
    this.origin = origin;
    this.signer = signer;
    this.found = found;
    this.readOne = readOne;
    this.expectedFrom = origin;
  }

  long checkpoints() {
    return checkpoints;
  }

  Checkpoint newest() {
    return newest;
  }

  /** Events after the newest checkpoint: protected by their chains alone, until the next one. */
  long eventsAfterNewest() {
    return afterNewest;
  }

  void run() throws SQLException {
    try (PreparedStatement ks = Checkpoints.all(c);
        ResultSet kr = ks.executeQuery();
        PreparedStatement ls = Checkpoints.leaves(c, origin, Long.MAX_VALUE);
        ResultSet lr = ls.executeQuery()) {
      Checkpoint k = next(kr);
      boolean signed = k != null && signed(k);
      MerkleRoot tree = new MerkleRoot();
      while (lr.next()) {
        readOne.run();
        long ordering = lr.getLong(1);
        byte[] hash = lr.getBytes(2);
        while (k != null && ordering > k.toOrdering()) {
          compare(k, signed, tree);
          k = next(kr);
          signed = k != null && signed(k);
          tree = new MerkleRoot();
        }
        if (k == null) {
          afterNewest++;
        } else if (ordering > k.fromOrdering()) {
          // a row without a hash still counts, and changes the root
          tree.add(hash == null ? EventHash.GENESIS : hash);
        }
      }
      while (k != null) { // checkpoints past the last row: their rows were deleted
        compare(k, signed, tree);
        k = next(kr);
        signed = k != null && signed(k);
        tree = new MerkleRoot();
      }
    }
  }

  private Checkpoint next(ResultSet kr) throws SQLException {
    if (!kr.next()) {
      return null;
    }
    Checkpoint k = Checkpoints.read(kr);
    checkpoints++;
    newest = k;
    if (k.fromOrdering() != expectedFrom) {
      report(
          k.fromOrdering(),
          "checkpoints skip offsets "
              + (expectedFrom + 1)
              + ".."
              + k.fromOrdering()
              + ": a checkpoint was deleted");
    }
    expectedFrom = k.toOrdering();
    return k;
  }

  private boolean signed(Checkpoint k) {
    if (!signer.keyId().equals(k.keyId())) {
      report(
          k.toOrdering(),
          range(k)
              + " is signed by key "
              + k.keyId()
              + ", not by this hub's key "
              + signer.keyId());
      return false;
    }
    if (!signer.verifies(k.signedBytes(), k.signature())) {
      report(k.toOrdering(), range(k) + " has a bad signature");
      return false;
    }
    return true;
  }

  private void compare(Checkpoint k, boolean signed, MerkleRoot tree) {
    if (!signed) {
      return; // already reported: what it says cannot be trusted
    }
    if (tree.leaves() != k.events()) {
      report(
          k.toOrdering(),
          range(k)
              + " holds "
              + tree.leaves()
              + " events where it signed "
              + k.events()
              + " (rows deleted or inserted)");
    } else if (!Arrays.equals(tree.root(), k.root())) {
      report(
          k.toOrdering(),
          range(k) + ": its events no longer give the signed root (rows moved or replaced)");
    }
  }

  private static String range(Checkpoint k) {
    return "the checkpoint over offsets " + (k.fromOrdering() + 1) + ".." + k.toOrdering();
  }

  private void report(long offset, String detail) {
    found.accept(new JournalVerifier.Break("checkpoint", "", 0, offset, detail));
  }
}
