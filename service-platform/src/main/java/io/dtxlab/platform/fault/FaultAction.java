package io.dtxlab.platform.fault;

/** What an armed fault does when its point is reached. */
public enum FaultAction {
    /** Wait {@code delayMs}, then carry on. */
    DELAY,
    /** Fail here with an error, as if the step had thrown. */
    ERROR,
    /** Lose the message at this point: the request is not sent, or the reply is thrown away. */
    DROP,
    /** Stop the node right here: {@code Runtime.halt} in a deployment, an abrupt stop in tests. */
    CRASH
}
