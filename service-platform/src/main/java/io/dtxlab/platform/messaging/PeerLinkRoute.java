package io.dtxlab.platform.messaging;

/**
 * A path this node also serves over peer links ({@link ClusterClient#postOverLink}): a bean of this type makes the
 * link server read the request body as {@link #requestType()}, validate it as {@code @Valid} would, and answer with
 * what {@link #handle} returns, or with the problem detail its exception stands for, exactly as the HTTP handler of
 * the same path answers. The HTTP handler and the route should call the same code. An exception is answered through
 * {@link io.dtxlab.platform.problem.Problems}, not through a service's own {@code @ExceptionHandler}s: a route throws
 * an {@link org.springframework.web.ErrorResponse} (such as {@code ErrorResponseException}) for a problem of its own.
 *
 * @param <T> the request body's type
 */
public interface PeerLinkRoute<T> {

    /** The path, as the HTTP handler maps it, e.g. {@code /internal/branches/batch}. */
    String path();

    /** The type the JSON body is read into. */
    Class<T> requestType();

    /** Handles one valid request on the link's thread; the answer is written as JSON (200). */
    Object handle(T request);
}
