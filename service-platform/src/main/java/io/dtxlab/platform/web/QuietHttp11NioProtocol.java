package io.dtxlab.platform.web;

import org.apache.coyote.Processor;
import org.apache.coyote.http11.Http11NioProtocol;

/**
 * Tomcat's HTTP/1.1 NIO connector, whose async-timeout task runs only while a request is in servlet async mode.
 *
 * <p>Tomcat schedules that task every second from start-up, on its utility threads, whether or not any request ever
 * goes async; each run wakes two or three idle threads. On this lab's small VMs a wake-up from idle costs a few
 * hundred microseconds, and nine nodes paid it every second: about 36 wake-ups a second for a cluster at rest. Here the
 * task starts when the first request goes async and stops when the last one leaves, so async timeouts still fire
 * (checked once a second, as before) whenever there is something to time out.
 *
 * <p>Tomcat's own once-a-minute monitor calls {@link #startAsyncTimeout()} to restart a task that died; with nothing
 * waiting, that call does nothing.
 */
public class QuietHttp11NioProtocol extends Http11NioProtocol {

    @Override
    protected synchronized void startAsyncTimeout() {
        if (getWaitingProcessorCount() > 0) {
            super.startAsyncTimeout();
        }
    }

    @Override
    public synchronized void addWaitingProcessor(Processor processor) {
        super.addWaitingProcessor(processor);
        super.startAsyncTimeout();
    }

    @Override
    public synchronized void removeWaitingProcessor(Processor processor) {
        super.removeWaitingProcessor(processor);
        if (getWaitingProcessorCount() == 0) {
            stopAsyncTimeout();
        }
    }

    @Override
    protected synchronized void stopAsyncTimeout() {
        super.stopAsyncTimeout();
    }
}
