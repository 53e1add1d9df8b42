package io.dtxlab.platform.web;

import io.dtxlab.platform.problem.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The largest request body any node reads: {@code dtx.web.max-request-body-size} (default 2 MB; a seed of 10,000
 * SKUs as {@code ./dtx seed} sends it is about 0.56 MB, the largest valid one, 64-character SKUs at the highest price
 * and count, about 1.2 MB). Tomcat limits the request line and headers, and form posts, but not a JSON body: without
 * this a client could make a node buffer and parse any amount.
 *
 * <p>A body over the limit is refused with 413 {@code application/problem+json} (title {@code Content Too Large},
 * the limit in the detail), before anything happens: at once when its {@code Content-Length} says so (nothing of it is
 * read; Tomcat reads and discards up to {@code server.tomcat.max-swallow-size}, 4 MB, of it so the client sees the
 * answer, and closes the connection after a larger one), else (a chunked body) as soon as the reader passes the limit,
 * which fails the body's parsing ({@link RequestBodyTooLargeException}, answered 413 by the platform's problem
 * handling).
 */
@Component
public class RequestBodyLimit extends OncePerRequestFilter implements Ordered {

    /** The property that sets the limit (a {@link DataSize}: {@code 2MB}, {@code 512KB}). */
    public static final String PROPERTY = "dtx.web.max-request-body-size";

    private final long maxBytes;
    private final ProblemWriter problems;

    RequestBodyLimit(Environment environment, ProblemWriter problems) {
        this.maxBytes = environment.getProperty(PROPERTY, DataSize.class, DataSize.ofMegabytes(2)).toBytes();
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long length = request.getContentLengthLong();
        if (length > maxBytes) {
            problems.write(response, HttpStatus.CONTENT_TOO_LARGE, "Content Too Large",
                    RequestBodyTooLargeException.detail(length + " bytes", maxBytes));
            return;
        }
        if (length < 0 && request.getHeader("Transfer-Encoding") != null) {
            chain.doFilter(new Limited(request, maxBytes), response); // chunked: count as it is read
            return;
        }
        chain.doFilter(request, response);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    /**
     * Reading more than the limit of a body whose length was not announced. An {@link IOException}, so that every
     * reader passes it on as the reason the body could not be read.
     */
    public static final class RequestBodyTooLargeException extends IOException {

        private final long maxBytes;

        RequestBodyTooLargeException(long maxBytes) {
            super(detail("more than " + maxBytes + " bytes", maxBytes));
            this.maxBytes = maxBytes;
        }

        /** The limit, in bytes. */
        public long maxBytes() {
            return maxBytes;
        }

        static String detail(String size, long maxBytes) {
            return "the request body (" + size + ") is over the limit of " + maxBytes + " bytes (" + PROPERTY
                    + "); nothing was done";
        }
    }

    /** A request whose body stream fails once more than the limit was read from it. */
    private static final class Limited extends HttpServletRequestWrapper {

        private final long maxBytes;
        private ServletInputStream stream;
        private BufferedReader reader;

        Limited(HttpServletRequest request, long maxBytes) {
            super(request);
            this.maxBytes = maxBytes;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new Counting(super.getInputStream(), maxBytes);
            }
            return stream;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            if (reader == null) {
                String encoding = getCharacterEncoding();
                Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
                reader = new BufferedReader(new InputStreamReader(getInputStream(), charset));
            }
            return reader;
        }
    }

    private static final class Counting extends ServletInputStream {

        private final ServletInputStream in;
        private final long maxBytes;
        private long read;

        Counting(ServletInputStream in, long maxBytes) {
            this.in = in;
            this.maxBytes = maxBytes;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws RequestBodyTooLargeException {
            read += n;
            if (read > maxBytes) {
                throw new RequestBodyTooLargeException(maxBytes);
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
