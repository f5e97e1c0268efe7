package dev.baedal.systemtests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 over a plain socket, for requests that well-behaved clients refuse to send: control
 * characters in headers, a request line with invalid percent-encoding, raw bytes. Each request
 * closes its connection ({@code Connection: close}); the answer is read to the end.
 */
final class RawHttp {
  /** Status (0: the server closed without an answer), Content-Type and body of an answer. */
  record Answer(int status, String contentType, String body) {}

  private final int port;

  RawHttp(int port) {
    this.port = port;
  }

  /**
   * Sends {@code method target} with {@code headers} (each "Name: value", sent byte for byte as
   * ISO-8859-1) and {@code body} (UTF-8 JSON, or null).
   */
  Answer send(String method, String target, String body, String... headers) {
    StringBuilder head =
        new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
    head.append("Host: 127.0.0.1\r\nConnection: close\r\n");
    for (String h : headers) {
      head.append(h).append("\r\n");
    }
    byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    if (body != null) {
      head.append("Content-Type: application/json\r\n");
    }
    head.append("Content-Length: ").append(payload.length).append("\r\n\r\n");
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().write(payload);
      socket.getOutputStream().flush();
      return parse(readAll(socket.getInputStream()));
    } catch (SocketTimeoutException e) {
      throw new IllegalStateException("no answer in 30 s to " + method + " " + target, e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
      }
    } catch (java.net.SocketException e) {
      // reset after the answer: what was read is the answer
    }
    return out.toByteArray();
  }

  private static Answer parse(byte[] raw) {
    String text = new String(raw, StandardCharsets.UTF_8);
    if (!text.startsWith("HTTP/1.")) {
      return new Answer(0, null, text);
    }
    int status = Integer.parseInt(text.substring(9, 12));
    int end = text.indexOf("\r\n\r\n");
    String headers = end < 0 ? text : text.substring(0, end);
    String contentType = null;
    for (String line : headers.split("\r\n")) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-type:")) {
        contentType = line.substring(13).trim();
      }
    }
    return new Answer(status, contentType, end < 0 ? "" : text.substring(end + 4));
  }
}
