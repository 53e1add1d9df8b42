package io.dtxlab.platform.fault;

/** Thrown where an in-JVM test node crashed, so that the code after the crash point never runs. */
public class NodeCrashedException extends RuntimeException {

    public NodeCrashedException(String point) {
        super("node crashed at fault point " + point, null, false, false);
    }
}
