package io.agenthive.persistence.audit;

import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A Merkle root over a stream of event hashes, in bounded memory: one pending node per level (a
 * binary counter), so a checkpoint over millions of events holds a few dozen hashes. Leaves and
 * inner nodes hash with different prefixes (0 and 1), so a leaf cannot pass for a node. An odd node
 * at the end of a level is carried up unchanged.
 */
final class MerkleRoot {
  private record Pending(int level, byte[] hash) {}

  private final Deque<Pending> stack = new ArrayDeque<>();
  private long leaves;

  void add(byte[] eventHash) {
    MessageDigest sha = EventHash.sha256();
    sha.update((byte) 0);
    Pending node = new Pending(0, sha.digest(eventHash));
    while (!stack.isEmpty() && stack.peek().level() == node.level()) {
      node = new Pending(node.level() + 1, parent(stack.pop().hash(), node.hash()));
    }
    stack.push(node);
    leaves++;
  }

  long leaves() {
    return leaves;
  }

  /** The root; 32 zero bytes for no leaves. */
  byte[] root() {
    if (stack.isEmpty()) {
      return new byte[32];
    }
    var it = stack.iterator(); // newest (lowest level) first
    byte[] right = it.next().hash();
    while (it.hasNext()) {
      right = parent(it.next().hash(), right);
    }
    return right;
  }

  private static byte[] parent(byte[] left, byte[] right) {
    MessageDigest sha = EventHash.sha256();
    sha.update((byte) 1);
    sha.update(left);
    sha.update(right);
    return sha.digest();
  }
}
