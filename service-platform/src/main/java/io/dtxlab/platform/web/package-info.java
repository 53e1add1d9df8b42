/**
 * How every node's embedded web server is set up, and the HTTP edge in front of the controllers. Tomcat's threads
 * stay asleep while no request arrives ({@link io.dtxlab.platform.web.QuietTomcat}). A request whose answer could not
 * be sent in a form the client accepts is refused before its handler runs ({@link io.dtxlab.platform.web.AcceptGuard}),
 * and every error that Tomcat or Spring produce before our code runs is a problem detail too ({@link
 * io.dtxlab.platform.web.ProblemErrorController} for errors inside the web application, {@link
 * io.dtxlab.platform.web.ProblemReportValve} for those Tomcat answers before it reaches the application, e.g. a
 * malformed URI or headers over the size limit).
 */
package io.dtxlab.platform.web;
