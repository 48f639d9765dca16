package io.agenthive.task;

import io.agenthive.common.CborSerializable;

/**
 * A task event as the journal keeps it when its task names a subject: the event itself ({@code
 * event}, serialized as any event is, by {@code serializerId} and {@code manifest}) with each
 * personal value replaced by a placeholder, and those values sealed with the subject's key {@code
 * keyId} (AES-GCM: {@code nonce}, and in {@code sealed} the ciphertext with its tag). Everything
 * else (status, times, agents, counts) stays readable after the key is destroyed.
 */
public record SealedTaskEvent(
    String subject,
    String keyId,
    int serializerId,
    String manifest,
    byte[] event,
    byte[] nonce,
    byte[] sealed)
    implements CborSerializable {}
