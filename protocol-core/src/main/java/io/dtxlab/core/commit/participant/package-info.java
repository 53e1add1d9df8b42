/** One participant's branch: its states, the coordinator messages it answers, and the fence against stale epochs. */
package io.dtxlab.core.commit.participant;
