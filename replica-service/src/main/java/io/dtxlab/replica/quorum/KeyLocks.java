package io.dtxlab.replica.quorum;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * Serialises the read-reconcile-write of one key on this replica: two writes of a key that arrive at once must not
 * both read the old siblings and each drop the other's version. Striped, so memory stays fixed.
 */
@Component
class KeyLocks {

    private final ReentrantLock[] stripes = new ReentrantLock[256];

    KeyLocks() {
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    <T> T withKey(String key, Supplier<T> work) {
        ReentrantLock lock = stripes[Math.floorMod(key.hashCode(), stripes.length)];
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }
}
