package io.agenthive.matcher;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * A sorted set that also counts: how many leading elements satisfy a condition that holds for a
 * prefix of the order, in O(log n). The matcher needs that count ("how many free agents qualify")
 * for every assignment's reason, and {@code TreeSet}'s views count by walking every element. A
 * treap (a binary search tree balanced by random priorities) with subtree sizes; not thread safe.
 */
final class RankedSet<T> {
  private static final class Node<T> {
    final T value;
    final int priority;
    Node<T> left;
    Node<T> right;
    int size = 1;

    Node(T value, int priority) {
      this.value = value;
      this.priority = priority;
    }
  }

  private final Comparator<? super T> order;
  private Node<T> root;
  // xorshift: cheap, and the balance only needs priorities that look random
  private int seed = 0x2545F491;

  RankedSet(Comparator<? super T> order) {
    this.order = order;
  }

  int size() {
    return size(root);
  }

  boolean isEmpty() {
    return root == null;
  }

  /** Adds {@code value}; false when an equal element (by the order) is already here. */
  boolean add(T value) {
    int before = size();
    root = insert(root, new Node<>(value, nextPriority()));
    return size() > before;
  }

  /** Removes the element equal to {@code value} by the order; false when there is none. */
  boolean remove(T value) {
    int before = size();
    root = delete(root, value);
    return size() < before;
  }

  T first() {
    Node<T> n = root;
    if (n == null) {
      return null;
    }
    while (n.left != null) {
      n = n.left;
    }
    return n.value;
  }

  /**
   * How many elements, from the first, satisfy {@code inPrefix}; it must hold for a prefix of the
   * order and fail for the rest (e.g. "proficiency ≥ 0.7" in a best-first order).
   */
  int countPrefix(Predicate<? super T> inPrefix) {
    int count = 0;
    Node<T> n = root;
    while (n != null) {
      if (inPrefix.test(n.value)) {
        count += size(n.left) + 1;
        n = n.right;
      } else {
        n = n.left;
      }
    }
    return count;
  }

  /** The first {@code k} elements in order (fewer when the set is smaller). */
  List<T> firstK(int k) {
    List<T> out = new ArrayList<>(Math.min(k, size()));
    collect(root, k, out);
    return out;
  }

  private static <T> void collect(Node<T> n, int k, List<T> out) {
    if (n == null || out.size() >= k) {
      return;
    }
    collect(n.left, k, out);
    if (out.size() < k) {
      out.add(n.value);
      collect(n.right, k, out);
    }
  }

  private Node<T> insert(Node<T> n, Node<T> fresh) {
    if (n == null) {
      return fresh;
    }
    int c = order.compare(fresh.value, n.value);
    if (c == 0) {
      return n;
    }
    if (c < 0) {
      n.left = insert(n.left, fresh);
      if (n.left.priority > n.priority) {
        n = rotateRight(n);
      }
    } else {
      n.right = insert(n.right, fresh);
      if (n.right.priority > n.priority) {
        n = rotateLeft(n);
      }
    }
    update(n);
    return n;
  }

  private Node<T> delete(Node<T> n, T value) {
    if (n == null) {
      return null;
    }
    int c = order.compare(value, n.value);
    if (c < 0) {
      n.left = delete(n.left, value);
    } else if (c > 0) {
      n.right = delete(n.right, value);
    } else {
      return merge(n.left, n.right);
    }
    update(n);
    return n;
  }

  /** Joins two treaps where every element of {@code a} comes before every element of {@code b}. */
  private Node<T> merge(Node<T> a, Node<T> b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    if (a.priority > b.priority) {
      a.right = merge(a.right, b);
      update(a);
      return a;
    }
    b.left = merge(a, b.left);
    update(b);
    return b;
  }

  private Node<T> rotateRight(Node<T> n) {
    Node<T> l = n.left;
    n.left = l.right;
    l.right = n;
    update(n);
    update(l);
    return l;
  }

  private Node<T> rotateLeft(Node<T> n) {
    Node<T> r = n.right;
    n.right = r.left;
    r.left = n;
    update(n);
    update(r);
    return r;
  }

  private static <T> void update(Node<T> n) {
    n.size = 1 + size(n.left) + size(n.right);
  }

  private static <T> int size(Node<T> n) {
    return n == null ? 0 : n.size;
  }

  private int nextPriority() {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return seed;
  }
}
