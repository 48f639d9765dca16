package io.agenthive.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.agenthive.access.Role;
import io.agenthive.persistence.audit.JournalSigner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;

/**
 * The hub's own access tokens for local users: ES256 JWTs signed with a key made on first start and
 * kept owner-only beside the data ({@code signing-key-file}; nodes of a cluster share it). Claims:
 * {@code iss}, {@code sub} (the username), {@code role}, {@code iat}, {@code exp}, {@code jti}.
 * Verification accepts ES256 with this key only.
 */
public final class HubTokens {
  private final ECKey key;
  private final JournalSigner journalSigner;
  private final ECDSASigner signer;
  private final DefaultJWTProcessor<SecurityContext> processor;
  private final String issuer;
  private final Duration ttl;
  private final Clock clock;
  private final LongAdder signatureChecks = new LongAdder();

  /** R and S of P-256, 32 bytes each (JWS's encoding, not DER). */
  private static final int ES256_SIGNATURE_BYTES = 64;

  /** A token as handed out: its text and when it expires. */
  public record Issued(String token, Instant expiresAt) {}

  /**
   * What a verified token says. {@code agent}: the token was made for an agent's tool calls ({@link
   * #issueForAgent}), so {@code username} is the agent's id, not a user's.
   */
  public record Claims(String username, Role role, Instant expiresAt, boolean agent) {}

  /** The claim that marks a token made for an agent's own tool calls. */
  private static final String KIND = "kind";

  private static final String AGENT = "agent";

  public HubTokens(ECKey key, String issuer, Duration ttl, Clock clock) throws JOSEException {
    this.key = key;
    this.signer = new ECDSASigner(key);
    this.journalSigner = new JournalKeySigner(key);
    this.issuer = issuer;
    this.ttl = ttl;
    this.clock = clock;
    this.processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(
        new JWSVerificationKeySelector<>(
            JWSAlgorithm.ES256, new ImmutableJWKSet<>(new JWKSet(key.toPublicJWK()))));
    processor.setJWTClaimsSetVerifier(
        new DefaultJWTClaimsVerifier<>(
            new JWTClaimsSet.Builder().issuer(issuer).build(),
            Set.of("sub", "exp", "iat", "role")));
  }

  public static HubTokens load(SecuritySettings settings, Clock clock)
      throws IOException, ParseException, JOSEException {
    return new HubTokens(
        signingKey(settings.signingKeyFile()), settings.issuer(), settings.accessTokenTtl(), clock);
  }

  /** Signs and checks the journal's checkpoints with this same key. */
  public JournalSigner journalSigner() {
    return journalSigner;
  }

  /** The signer for {@code ./hive verify}: the key file as the hub keeps it, never made here. */
  public static JournalSigner journalSigner(Path keyFile)
      throws IOException, ParseException, JOSEException {
    if (!Files.exists(keyFile)) {
      throw new IOException(
          "the hub's signing key " + keyFile + " does not exist: checkpoints cannot be checked");
    }
    return new JournalKeySigner(signingKey(keyFile));
  }

  public String issuer() {
    return issuer;
  }

  public Issued issue(String username, Role role) {
    return sign(username, role, null);
  }

  /**
   * A token for an agent's calls of the hive's tools, as {@code agent:<id>} with {@code role}:
   * never handed out, only sent by the hub to its own API in-process.
   */
  public Issued issueForAgent(String agentId, Role role) {
    return sign(agentId, role, AGENT);
  }

  private Issued sign(String subject, Role role, String kind) {
    Instant now = clock.instant();
    Instant expires = now.plus(ttl);
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(issuer)
            .subject(subject)
            .claim(KIND, kind)
            .claim("role", role.label())
            .issueTime(Date.from(now))
            .expirationTime(Date.from(expires))
            .jwtID(UUID.randomUUID().toString())
            .build();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("signing with the hub's own key failed", e);
    }
    return new Issued(jwt.serialize(), expires);
  }

  /**
   * Whether {@code token} is shaped like one of ours, checked without its signature: signed with
   * ES256 under our key's id, a signature of ES256's length, not expired. Anything else is refused
   * before the signature check that a forger would otherwise have the hub make for each guess.
   */
  public boolean couldBeOurs(JWT token) {
    try {
      return token instanceof SignedJWT signed
          && JWSAlgorithm.ES256.equals(signed.getHeader().getAlgorithm())
          // a key file without an id (made by hand) signs tokens without one: both null then
          && Objects.equals(key.getKeyID(), signed.getHeader().getKeyID())
          && signed.getSignature().decode().length == ES256_SIGNATURE_BYTES
          && signed.getJWTClaimsSet().getExpirationTime() != null
          && signed.getJWTClaimsSet().getExpirationTime().toInstant().isAfter(clock.instant());
    } catch (ParseException e) {
      return false;
    }
  }

  /** Signatures checked so far (each costs an ECDSA verification), for tests and metrics. */
  public long signatureChecks() {
    return signatureChecks.sum();
  }

  /** The claims of a valid token of ours, or null when it is not one (bad, expired, foreign). */
  public Claims verify(String token) {
    signatureChecks.increment();
    try {
      JWTClaimsSet claims = processor.process(token, null);
      Role role = Role.parse(claims.getStringClaim("role")).orElse(null);
      return role == null
          ? null
          : new Claims(
              claims.getSubject(),
              role,
              claims.getExpirationTime().toInstant(),
              AGENT.equals(claims.getStringClaim(KIND)));
    } catch (Exception e) {
      return null;
    }
  }

  /**
   * Reads the key, or makes one readable by the owner only. Nodes of a cluster that start at once
   * on a shared path must end with one key: each writes its own to a private file and links it in
   * place (a link fails if the name exists, where a rename would replace it), and all read
   * whichever won.
   */
  static ECKey signingKey(Path file) throws IOException, ParseException, JOSEException {
    if (!Files.exists(file)) {
      ECKey made = new ECKeyGenerator(Curve.P_256).keyID(UUID.randomUUID().toString()).generate();
      Path mine = file.resolveSibling(file.getFileName() + "." + UUID.randomUUID() + ".new");
      OwnerOnlyFiles.write(mine, made.toJSONString());
      try {
        Files.createLink(file, mine);
      } catch (java.nio.file.FileAlreadyExistsException lost) {
        // another node made it first: use that one
      } finally {
        Files.deleteIfExists(mine);
      }
    }
    return ECKey.parse(Files.readString(file));
  }
}
