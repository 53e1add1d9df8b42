/** How every node's embedded web server is set up. */
package io.dtxlab.platform.web;
