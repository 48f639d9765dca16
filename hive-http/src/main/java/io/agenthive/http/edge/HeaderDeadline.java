package io.agenthive.http.edge;

import akka.stream.Attributes;
import akka.stream.BidiShape;
import akka.stream.Inlet;
import akka.stream.Outlet;
import akka.stream.TLSProtocol.SendBytes;
import akka.stream.TLSProtocol.SessionBytes;
import akka.stream.TLSProtocol.SslTlsInbound;
import akka.stream.TLSProtocol.SslTlsOutbound;
import akka.stream.javadsl.BidiFlow;
import akka.stream.stage.AbstractInHandler;
import akka.stream.stage.AbstractOutHandler;
import akka.stream.stage.GraphStage;
import akka.stream.stage.GraphStageLogic;
import akka.stream.stage.TimerGraphStageLogic;
import akka.util.ByteString;
import java.time.Duration;

/**
 * A request's headers must arrive whole within {@code timeout} of its first byte (a new
 * connection's, of the moment it opened); else the connection gets a 408 and is closed. akka-http
 * has an idle timeout, which a client dripping one byte at a time never trips, and a request
 * timeout, which starts only once the headers are in: a slowloris client passes both and holds its
 * connection for as long as it likes.
 *
 * <p>Sits between TLS and akka-http's parser, so it sees plain bytes: it looks for the empty line
 * that ends the headers, and on the way out for the start of the answer, after which the next byte
 * in starts the next request. An interim {@code 100 Continue} is not the answer (the body follows
 * it); after a {@code 101} the connection is a WebSocket and no longer looked at. A request's body
 * is not timed here: the request timeout covers it.
 */
final class HeaderDeadline
    extends GraphStage<BidiShape<SslTlsOutbound, SslTlsOutbound, SslTlsInbound, SslTlsInbound>> {
  private static final String TIMER = "header-deadline";
  private final Inlet<SslTlsOutbound> fromApp = Inlet.create("HeaderDeadline.fromApp");
  private final Outlet<SslTlsOutbound> toNet = Outlet.create("HeaderDeadline.toNet");
  private final Inlet<SslTlsInbound> fromNet = Inlet.create("HeaderDeadline.fromNet");
  private final Outlet<SslTlsInbound> toApp = Outlet.create("HeaderDeadline.toApp");
  private final BidiShape<SslTlsOutbound, SslTlsOutbound, SslTlsInbound, SslTlsInbound> shape =
      BidiShape.of(fromApp, toNet, fromNet, toApp);
  private final Duration timeout;
  private final Runnable timedOut;

  private HeaderDeadline(Duration timeout, Runnable timedOut) {
    this.timeout = timeout;
    this.timedOut = timedOut;
  }

  /** {@code timedOut} runs for each connection closed by the deadline (it counts them). */
  static BidiFlow<SslTlsOutbound, SslTlsOutbound, SslTlsInbound, SslTlsInbound, akka.NotUsed> of(
      Duration timeout, Runnable timedOut) {
    return BidiFlow.fromGraph(new HeaderDeadline(timeout, timedOut));
  }

  @Override
  public BidiShape<SslTlsOutbound, SslTlsOutbound, SslTlsInbound, SslTlsInbound> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes attributes) {
    return new Logic();
  }

  private final class Logic extends TimerGraphStageLogic {
    /** Reading a request's headers, with the timer running. */
    private boolean inHeaders = true;

    /** The answer to the last request has started: the next byte in starts a new request. */
    private boolean answered;

    /** After a 101: a WebSocket, passed through untouched. */
    private boolean upgraded;

    /** Scanning for the empty line: a byte other than CR or LF seen, and a line just ended. */
    private boolean content;

    private boolean lineEnded;

    Logic() {
      super(shape);
      setHandler(
          fromNet,
          new AbstractInHandler() {
            @Override
            public void onPush() {
              SslTlsInbound in = grab(fromNet);
              if (in instanceof SessionBytes bytes && !upgraded) {
                incoming(bytes.bytes());
              }
              push(toApp, in);
            }

            @Override
            public void onUpstreamFinish() {
              complete(toApp);
            }
          });
      setHandler(
          toApp,
          new AbstractOutHandler() {
            @Override
            public void onPull() {
              pull(fromNet);
            }

            @Override
            public void onDownstreamFinish(Throwable cause) {
              cancel(fromNet, cause);
            }
          });
      setHandler(
          fromApp,
          new AbstractInHandler() {
            @Override
            public void onPush() {
              SslTlsOutbound out = grab(fromApp);
              if (out instanceof SendBytes bytes && !upgraded) {
                outgoing(bytes.bytes());
              }
              push(toNet, out);
            }

            @Override
            public void onUpstreamFinish() {
              complete(toNet);
            }
          });
      setHandler(
          toNet,
          new AbstractOutHandler() {
            @Override
            public void onPull() {
              pull(fromApp);
            }

            @Override
            public void onDownstreamFinish(Throwable cause) {
              cancel(fromApp, cause);
            }
          });
    }

    @Override
    public void preStart() {
      scheduleOnce(TIMER, timeout);
    }

    private void incoming(ByteString bytes) {
      if (!inHeaders && answered) {
        inHeaders = true;
        answered = false;
        content = false;
        lineEnded = false;
        scheduleOnce(TIMER, timeout);
      }
      if (!inHeaders) {
        return;
      }
      for (int i = 0; i < bytes.size(); i++) {
        byte b = bytes.apply(i);
        if (b == '\n') {
          if (lineEnded && content) {
            inHeaders = false;
            cancelTimer(TIMER);
            return;
          }
          lineEnded = true;
        } else if (b != '\r') {
          // empty lines before the request line do not end anything (a client could send
          // them first to stop the timer, then drip the real request)
          content = true;
          lineEnded = false;
        }
      }
    }

    /** The first bytes out after a request's headers are its answer's status line. */
    private void outgoing(ByteString bytes) {
      if (inHeaders || answered) {
        return;
      }
      String status = bytes.size() >= 12 ? bytes.slice(9, 12).utf8String() : "";
      if (status.equals("101")) {
        upgraded = true;
      } else if (!status.equals("100")) {
        answered = true;
      }
    }

    @Override
    public void onTimer(Object key) {
      if (!inHeaders || upgraded) {
        return;
      }
      // nothing more is read or answered on this connection: the 408, then the close
      timedOut.run();
      cancel(fromNet);
      complete(toApp);
      cancel(fromApp);
      emit(toNet, new SendBytes(RawAnswers.headerTimeout(timeout)), this::completeStage);
    }
  }
}
